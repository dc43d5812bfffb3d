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
* description = "Recherche les équipes par rôle de participant, par exemple toutes les équipes avec un citoyen partenaire. / Find care teams by participant role, e.g. every team with a citizen partner (`CareTeam?participant-role=https://fhir.communautesoignante.ca/CodeSystem/care-team-role|citoyen-partenaire`). Core R4 searches a participant (who) but not their role (what part they play)."
* code = #participant-role
* base = #CareTeam
* type = #token
* expression = "CareTeam.participant.role"
* xpath = "f:CareTeam/f:participant/f:role"
* xpathUsage = #normal
