ValueSet: CareTeamRoleVS
Id: care-team-role
Title: "Rôles dans l'équipe / Care team roles"
Description: "Tous les rôles d'une équipe de la communauté soignante. / Every role of a Caring Community care team. Bound to CareTeam.participant.role so each participant says which part they play."
* ^status = #draft
* ^experimental = false
* include codes from system $care-team-role
