CodeSystem: CareTeamRole
Id: care-team-role
Title: "Rôles dans la communauté soignante / Caring Community care team roles"
Description: """
Les rôles d'une équipe de soins de la communauté soignante. / The roles of a Caring Community care team.
No public code system distinguishes a *patient partenaire* from a *citoyen partenaire*, nor the clinician who
integrates a peer into the team, so the guide defines them; ConceptMap care-team-role-to-public gives the nearest
NUCC and SNOMED CT codes for systems that only understand those.
"""
* ^url = $care-team-role
* ^status = #draft
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* ^language = #fr-CA
* #clinicien-partenaire "Clinicien partenaire" "Professionnel de la santé ou des services sociaux (médecin, infirmière, IPS, travailleuse sociale, psychologue, organisateur communautaire) qui intègre le pair à l'équipe et présente la personne au pair : une présentation, non une référence professionnelle. / Health or social services professional who integrates the peer into the team and introduces the person to the peer: an introduction, not a professional referral."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Clinicien partenaire"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Clinician partner"
* #patient-partenaire "Patient partenaire" "Pair ayant une expérience vécue de la maladie et des soins : évaluation globale des besoins, mise en relation, développement des compétences d'autosoins. / Peer with lived experience of illness and care: global needs assessment, linking, developing self-care skills."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Patient partenaire"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Patient partner"
* #citoyen-partenaire "Citoyen partenaire" "Pair du quartier : intégration sociale, relations d'entraide, liens avec les organismes communautaires. / Peer from the neighbourhood: social integration, mutual-aid relationships, links with community organisations."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Citoyen partenaire"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Citizen partner"
* #proche "Proche" "Membre de la famille, ami ou proche aidant que la personne invite dans son équipe. / Family member, friend or caregiver whom the person invites into the team."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Proche"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Relative or close one"
* #personne-accompagnee "Personne accompagnée" "La personne au centre de l'équipe, qui fixe ses objectifs de vie. / The person at the centre of the team, who sets their own life goals."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Personne accompagnée"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Person accompanied"
