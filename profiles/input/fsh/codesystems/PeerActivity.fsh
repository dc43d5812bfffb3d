CodeSystem: PeerActivity
Id: peer-activity
Title: "Activités des pairs / Peer activities"
Description: """
Ce que font les pairs avec la personne accompagnée. / What peers do with the person they accompany.
Taken from the roles described by the CEPPP (patient partenaire, citoyen partenaire) so that plans can say which
kind of accompaniment is planned; no public code system describes peer activities at this grain.
"""
* ^url = $peer-activity
* ^status = #draft
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* ^language = #fr-CA
* #ecoute-active "Écoute active" "Rencontre où le pair écoute la personne parler de sa maladie, de sa situation et de son projet de vie. / Meeting in which the peer listens to the person about illness, social situation and life project."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Écoute active"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Active listening"
* #accompagnement "Accompagnement" "Présence du pair auprès de la personne dans une démarche qu'elle a choisie (rendez-vous, démarche administrative, sortie). / The peer goes along with the person in a step the person chose (appointment, paperwork, outing)."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Accompagnement"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Accompaniment"
* #liaison-ressource-communautaire "Liaison avec une ressource communautaire" "Mise en relation avec un organisme ou une ressource du quartier. / Connecting the person with a neighbourhood organisation or resource."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Liaison avec une ressource communautaire"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Linking with a community resource"
* #liaison-proches "Liaison avec les proches" "Soutien à la collaboration avec la famille et les proches. / Supporting collaboration with family and close ones."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Liaison avec les proches"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Linking with relatives"
* #liaison-professionnel "Liaison avec un professionnel" "Soutien à la collaboration avec les professionnels de la santé et des services sociaux. / Supporting collaboration with health and social services professionals."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Liaison avec un professionnel"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Linking with a professional"
* #developpement-autosoins "Développement des compétences d'autosoins" "Soutien au développement des compétences de la personne à prendre soin d'elle-même. / Supporting the person in developing their own self-care skills."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Développement des compétences d'autosoins"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Developing self-care skills"
* #integration-sociale "Intégration sociale" "Soutien à la participation de la personne à la vie du quartier. / Supporting the person's participation in neighbourhood life."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Intégration sociale"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Social integration"
* #entraide "Entraide" "Développement de relations d'entraide avec des citoyens de la communauté. / Developing mutual-aid relationships with citizens of the community."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Entraide"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Mutual aid"
* #presentation-pair "Présentation au pair" "Première rencontre, initiée par le clinicien partenaire, entre la personne et le pair (une présentation, non une référence professionnelle). / First meeting, initiated by the clinician partner, between the person and the peer (an introduction, not a professional referral)."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Présentation au pair"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Introduction to the peer"
