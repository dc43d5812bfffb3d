Extension: IntroducedBy
Id: introduced-by
Title: "Présenté par / Introduced by"
Description: """
Le clinicien partenaire qui a présenté la personne au pair. / The clinician partner who introduced the person to the
peer. In the Communauté soignante model the clinician does not *refer* the person to a peer (no ServiceRequest, no
professional referral): they introduce them, and the team wants to know who did. CareTeam.participant has no element
for this, hence the extension.
"""
* ^status = #draft
* ^experimental = false
* ^context[0].type = #element
* ^context[0].expression = "CareTeam.participant"
* value[x] only Reference(Practitioner or PractitionerRole)
* value[x] 1..1
* value[x] ^requirements = "The introduction is made by a clinician partner; a Practitioner or PractitionerRole says who, and in which organisation."
