ValueSet: LifeDomainVS
Id: life-domain
Title: "Domaines de vie / Life domains"
Description: "Tous les domaines de vie. / Every life domain, for the life-domain slice of Goal.category."
* ^status = #draft
* ^experimental = false
* include codes from system $life-domain
