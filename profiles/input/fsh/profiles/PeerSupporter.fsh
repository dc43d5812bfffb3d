Profile: PeerSupporter
Parent: RelatedPerson
Id: peer-supporter
Title: "Pair accompagnateur / Peer supporter"
Description: """
Un pair (patient partenaire ou citoyen partenaire) qui accompagne une personne. / A peer (patient partner or citizen
partner) who accompanies one person.

**Why RelatedPerson.** FHIR's RelatedPerson speaks of personal relationships, and a peer is not family. It is used
anyway, deliberately: (1) RelatedPerson is *patient-scoped*, so a SMART app launched on the chart with
`patient/RelatedPerson.cu` can create it without the broad `user/Practitioner` write access an EMR rarely grants;
(2) a peer's role is a relationship with one person: it starts, changes and ends with that person, carries that
person's consent, and must disappear from that person's chart only. A Practitioner would claim a professional status
peers deliberately do not have.

**One RelatedPerson per person accompanied.** The same peer accompanying three people has three PeerSupporter
resources, one per Patient; the programme identifier (system `https://fhir.communautesoignante.ca/identifier/peer-programme`)
is the same on all three and is how the programme links them (search with the core `identifier` parameter).
"""
* ^status = #draft
* ^experimental = false
* obeys cs-ps-1
* identifier 1..* MS
* identifier ^short = "Programme identifier of the peer (same value on every RelatedPerson of this peer)"
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "system"
* identifier ^slicing.rules = #open
* identifier ^slicing.description = "Sliced by system so the programme identifier is always present and recognisable."
* identifier contains programme 1..1 MS
* identifier[programme].system 1..1
* identifier[programme].system = $programme-id
* identifier[programme].value 1..1
* identifier[programme] ^short = "Identifiant du pair dans le programme / Peer's programme identifier"
* identifier[programme] ^requirements = "Links the RelatedPerson resources of one peer across the people they accompany, without sharing any of those people's data."
* active 1..1 MS
* active ^requirements = "The app lists a person's current peers; an ended accompaniment stays on record as inactive."
* patient MS
* patient ^short = "La personne accompagnée / The person accompanied"
* relationship 1..* MS
* relationship ^slicing.discriminator.type = #pattern
* relationship ^slicing.discriminator.path = "$this"
* relationship ^slicing.rules = #open
* relationship ^slicing.description = "A required peer-role slice, recognised by its code system (the pattern carries only the system, the required binding picks the role); other relationship codes may follow."
* relationship contains peerRole 1..1 MS
* relationship[peerRole] ^patternCodeableConcept.coding[0].system = $care-team-role
* relationship[peerRole] from PeerRoleVS (required)
* relationship[peerRole] ^short = "patient-partenaire | citoyen-partenaire"
* relationship[peerRole] ^requirements = "The two peer roles have different responsibilities (needs assessment and self-care vs. social integration and mutual aid); the team must know which one a peer plays."
* name 1..* MS
* telecom MS
* period MS
* period ^requirements = "When the accompaniment of this person started and ended."
* communication MS
* communication.language MS
* communication ^requirements = "Matching a peer and a person who share a language matters in Montréal (French, English and many others)."
* identifier ^requirements = "Sliced by system so the programme identifier is always present and recognisable."
* identifier[programme].system ^requirements = "The programme's identifier system: how systems recognise the programme identifier."
* identifier[programme].value ^requirements = "The peer's identifier in the programme; without it the identifier links nothing."
* patient ^requirements = "The person this peer accompanies: a peer's RelatedPerson is always patient-scoped."
* relationship ^requirements = "Sliced so the peer role is always present; other relationship codes may follow."
* name ^requirements = "The person and the team know their peer by name."
* telecom ^requirements = "How the person and the team reach the peer."
* communication.language ^requirements = "The languages the peer speaks with the person."
