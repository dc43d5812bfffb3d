Instance: GoalLifeDomain
InstanceOf: SearchParameter
Title: "Goal: domaine de vie / life domain"
Description: "Recherche les objectifs par domaine de vie. / Find goals by life domain (`Goal?life-domain=logement`). Only the life-domain codings of Goal.category are indexed, so health authorities can count goals per domain without mixing in other categories."
Usage: #definition
* id = "goal-life-domain"
* url = "https://fhir.communautesoignante.ca/SearchParameter/goal-life-domain"
* version = "0.1.0"
* name = "GoalLifeDomain"
* status = #draft
* experimental = false
* publisher = "Caring Community FHIR project"
* description = "Recherche les objectifs par domaine de vie (seulement les codes de domaine de vie de Goal.category). / Find goals by life domain (`Goal?life-domain=logement`). Only the life-domain codings of Goal.category are indexed, so health authorities can count goals per domain without mixing in other categories."
* code = #life-domain
* base = #Goal
* type = #token
* expression = "Goal.category.coding.where(system = 'https://fhir.communautesoignante.ca/CodeSystem/life-domain')"
* xpathUsage = #normal
