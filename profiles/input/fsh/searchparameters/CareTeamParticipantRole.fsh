Instance: CareTeamParticipantRole
InstanceOf: SearchParameter
Title: "CareTeam: rôle d'un participant / participant role"
Description: "Recherche les équipes par rôle de participant. / Find care teams by participant role, e.g. every team with a citizen partner (`CareTeam?participant-role=https://fhir.communautesoignante.ca/CodeSystem/care-team-role|citoyen-partenaire`). Core R4 has `participant` (who) but no search on the role (what part they play)."
Usage: #definition
* id = "careteam-participant-role"
* url = "https://fhir.communautesoignante.ca/SearchParameter/careteam-participant-role"
* version = "0.1.0"
* name = "CareTeamParticipantRole"
* status = #draft
* experimental = false
* publisher = "Caring Community FHIR project"
* description = "Find care teams by the role of a participant (care-team-role codes)."
* code = #participant-role
* base = #CareTeam
* type = #token
* expression = "CareTeam.participant.role"
* xpath = "f:CareTeam/f:participant/f:role"
* xpathUsage = #normal
