Instance: GoalExpressedBy
InstanceOf: SearchParameter
Title: "Goal: exprimé par / expressed by"
Description: "Recherche les objectifs selon qui les a exprimés. / Find goals by who expressed them (the person or a substitute decision-maker). Core R4 has no search on Goal.expressedBy; the app uses it to show the goals the person set themselves."
Usage: #definition
* id = "goal-expressed-by"
* url = "https://fhir.communautesoignante.ca/SearchParameter/goal-expressed-by"
* version = "0.1.0"
* name = "GoalExpressedBy"
* status = #draft
* experimental = false
* publisher = "Caring Community FHIR project"
* description = "Recherche les objectifs selon qui les a exprimés : la personne ou son représentant. / Find goals by who expressed them: the person or a substitute decision-maker. Core R4 has no search on Goal.expressedBy; the app uses it to show the goals the person set themselves."
* code = #expressed-by
* base = #Goal
* type = #reference
* expression = "Goal.expressedBy"
* xpath = "f:Goal/f:expressedBy"
* xpathUsage = #normal
* target[0] = #Patient
* target[1] = #RelatedPerson
* target[2] = #Practitioner
* target[3] = #PractitionerRole
