ValueSet: CarePlanCategoryVS
Id: careplan-category
Title: "Catégories de plan / Care plan categories"
Description: "Catégories de plan définies par le guide. / Care plan categories defined by this guide."
* ^status = #draft
* ^experimental = false
* include codes from system $careplan-category
