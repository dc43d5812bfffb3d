ValueSet: ConsentPeerResourceTypesVS
Id: consent-peer-resource-types
Title: "Ressources partagées avec un pair / Resources shared with a peer"
Description: "Les seuls types de ressources qu'un consentement peut ouvrir à un pair : le plan, les objectifs et l'équipe. / The only resource types a consent may open to a peer: the plan, the goals and the team. A peer is not a professional and needs none of the clinical record to accompany the person."
* ^status = #draft
* ^experimental = false
* $resource-types#CarePlan "CarePlan"
* $resource-types#Goal "Goal"
* $resource-types#CareTeam "CareTeam"
