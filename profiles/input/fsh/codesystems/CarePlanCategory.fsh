CodeSystem: CarePlanCategory
Id: careplan-category
Title: "Catégories de plan / Care plan categories"
Description: """
Catégorie du plan d'accompagnement par les pairs. / Category of the peer-support care plan. A local code because
no public category says "this plan is the person's accompaniment by peers"; it lets an EMR tell the peer-support plan
apart from its clinical care plans.
"""
* ^url = $careplan-category
* ^status = #draft
* ^experimental = false
* ^caseSensitive = true
* ^content = #complete
* ^language = #fr-CA
* #plan-accompagnement-pair "Plan d'accompagnement par les pairs" "Plan qui réunit les objectifs de vie de la personne et les activités de ses pairs pour l'accompagner vers eux. / Plan that brings together the person's life goals and the activities of their peers accompanying them toward those goals."
  * ^designation[0].language = #fr-CA
  * ^designation[0].value = "Plan d'accompagnement par les pairs"
  * ^designation[1].language = #en-CA
  * ^designation[1].value = "Peer-support care plan"
