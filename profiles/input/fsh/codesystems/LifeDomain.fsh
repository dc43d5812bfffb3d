CodeSystem: LifeDomain
Id: life-domain
Title: "Domaines de vie / Life domains"
Description: """
Les domaines de vie auxquels se rattachent les objectifs que la personne se fixe. / The life domains the person's
own goals belong to. Goals in this model are life goals (projet de vie), not clinical targets, so clinical goal
categories (dietary, behavioral, …) do not describe them; these domains let teams and health authorities group goals
without rewriting them.
"""
* ^url = $life-domain
* ^status = #draft
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* ^language = #fr-CA
* #sante "Santé" "Santé physique et mentale telle que la personne la vit. / Physical and mental health as the person lives it."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Santé"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Health"
* #isolement-lien-social "Isolement et lien social" "Briser l'isolement, créer ou retrouver des liens. / Breaking isolation, creating or renewing relationships."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Isolement et lien social"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Isolation and social connection"
* #projet-de-vie "Projet de vie" "Ce que la personne veut accomplir dans sa vie. / What the person wants to achieve in life."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Projet de vie"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Life project"
* #logement "Logement" "Se loger de façon stable, sécuritaire et convenable. / Stable, safe and suitable housing."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Logement"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Housing"
* #revenu "Revenu" "Revenu, budget, accès aux prestations. / Income, budget, access to benefits."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Revenu"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Income"
* #emploi-occupation "Emploi et occupation" "Travail, bénévolat, études ou autre occupation significative. / Work, volunteering, studies or another meaningful occupation."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Emploi et occupation"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Employment and occupation"
* #proches-famille "Proches et famille" "Relations avec la famille et les proches. / Relationships with family and close ones."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Proches et famille"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Relatives and family"
* #loisirs-participation-citoyenne "Loisirs et participation citoyenne" "Loisirs, culture, vie associative et participation à la communauté. / Leisure, culture, community life and civic participation."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Loisirs et participation citoyenne"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Leisure and civic participation"
* #bien-etre-emotionnel "Bien-être émotionnel" "Sentiment de bien-être, espoir, estime de soi. / Sense of well-being, hope, self-esteem."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Bien-être émotionnel"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Emotional well-being"
* #acces-aux-services "Accès aux services" "Obtenir les services de santé, sociaux et communautaires dont la personne a besoin. / Getting the health, social and community services the person needs."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Accès aux services"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Access to services"
* #autonomie "Autonomie" "Faire ses choix et mener ses activités quotidiennes à sa façon. / Making one's own choices and carrying out daily activities one's own way."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Autonomie"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Autonomy"
