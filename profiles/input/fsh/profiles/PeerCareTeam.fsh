Profile: PeerCareTeam
Parent: CareTeam
Id: peer-care-team
Title: "Équipe de soins avec pairs / Peer care team"
Description: """
L'équipe de la personne accompagnée : la personne, ses cliniciens partenaires, ses pairs et ses proches. / The team
around the person: the person, their clinician partners, their peers and their relatives.

Participants are sliced by role (a pattern on `participant.role`): the person, the clinician partner, the two peer
roles (patient partner and citizen partner, two slices because each has its own code) and the relative. Other
participants (a community organisation, another professional) stay allowed: the slicing is open.

A peer joins the team with `participant.period.start` and leaves it with `participant.period.end`: participation is
never deleted, so the team's history and the consent given to that peer can always be read together. Keep one
CareTeam and update it (the server keeps versions) rather than creating a new team when a peer joins.
"""
* ^status = #draft
* ^experimental = false
* obeys cs-ct-1 and cs-ct-2
* status 1..1 MS
* status ^requirements = "The app shows the active team on the chart."
* subject 1..1 MS
* subject only Reference(Patient)
* subject ^short = "La personne accompagnée / The person accompanied"
* subject ^requirements = "A peer care team is always one person's team; a Group would hide whose consent applies."
* period MS
* participant 1..* MS
* participant.role 1..1 MS
* participant.role from CareTeamRoleVS (extensible)
* participant.role ^requirements = "Each member's part in the team (clinician partner, peer, relative, the person) decides what they do and what they may see."
* participant.member 1..1 MS
* participant.period MS
* participant.period ^requirements = "A peer's participation ends by a date, never by deleting history."
* participant.extension contains IntroducedBy named introducedBy 0..1 MS
* participant ^slicing.discriminator.type = #pattern
* participant ^slicing.discriminator.path = "role"
* participant ^slicing.rules = #open
* participant ^slicing.ordered = false
* participant ^slicing.description = "By role: the person, the clinician partner, each peer role and the relative."
* participant contains
    person 0..1 MS and
    clinicianPartner 0..* MS and
    patientPartner 0..* MS and
    citizenPartner 0..* MS and
    relative 0..* MS
* participant[person].role = $care-team-role#personne-accompagnee
* participant[person].member only Reference(Patient)
* participant[person] ^short = "La personne accompagnée, membre de sa propre équipe / The person, member of their own team"
* participant[clinicianPartner].role = $care-team-role#clinicien-partenaire
* participant[clinicianPartner].member only Reference(Practitioner or PractitionerRole)
* participant[clinicianPartner] ^short = "Clinicien partenaire / Clinician partner"
* participant[clinicianPartner] ^requirements = "The clinician partner integrates the peer into the team and introduces the person to the peer."
* participant[patientPartner].role = $care-team-role#patient-partenaire
* participant[patientPartner].member only Reference(PeerSupporter)
* participant[patientPartner].period 1..1 MS
* participant[patientPartner].period.start 1..1 MS
* participant[patientPartner] ^short = "Patient partenaire / Patient partner"
* participant[citizenPartner].role = $care-team-role#citoyen-partenaire
* participant[citizenPartner].member only Reference(PeerSupporter)
* participant[citizenPartner].period 1..1 MS
* participant[citizenPartner].period.start 1..1 MS
* participant[citizenPartner] ^short = "Citoyen partenaire / Citizen partner"
* participant[relative].role = $care-team-role#proche
* participant[relative].member only Reference(RelatedPerson)
* participant[relative] ^short = "Proche / Relative"
* period ^requirements = "When this team started accompanying the person."
* participant ^requirements = "A team is its members; each with a role, and peers with dates."
* participant.member ^requirements = "A participant is a person; a role without a member says nothing."
* participant[person] ^requirements = "The person is a member of their own team, as the model places them at its centre."
* participant[person].role ^requirements = "Identifies the person's own participation (discriminator of the slice)."
* participant[person].member ^requirements = "The person accompanied is the Patient."
* participant[clinicianPartner].role ^requirements = "Identifies the clinician partner (discriminator of the slice)."
* participant[clinicianPartner].member ^requirements = "A clinician partner is a professional: Practitioner or PractitionerRole."
* participant[patientPartner] ^requirements = "A patient partner: a peer with lived experience of illness and care."
* participant[patientPartner].role ^requirements = "Identifies the patient partner (discriminator of the slice)."
* participant[patientPartner].member ^requirements = "Peers are PeerSupporter (RelatedPerson) resources, patient-scoped."
* participant[patientPartner].period ^requirements = "A peer joins and leaves by dates, never by deleting history."
* participant[patientPartner].period.start ^requirements = "The date the peer joined: what the team's history and the consent are read against."
* participant[citizenPartner] ^requirements = "A citizen partner: a peer from the neighbourhood."
* participant[citizenPartner].role ^requirements = "Identifies the citizen partner (discriminator of the slice)."
* participant[citizenPartner].member ^requirements = "Peers are PeerSupporter (RelatedPerson) resources, patient-scoped."
* participant[citizenPartner].period ^requirements = "A peer joins and leaves by dates, never by deleting history."
* participant[citizenPartner].period.start ^requirements = "The date the peer joined: what the team's history and the consent are read against."
* participant[relative] ^requirements = "Relatives are part of the team when the person wishes."
* participant[relative].role ^requirements = "Identifies the relative (discriminator of the slice)."
* participant[relative].member ^requirements = "A relative is a RelatedPerson of the person."
