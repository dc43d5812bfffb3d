// All aliases of the guide, in one place so every file speaks the same names.

// Local terminology (canonical https://fhir.communautesoignante.ca)
Alias: $care-team-role = https://fhir.communautesoignante.ca/CodeSystem/care-team-role
Alias: $peer-activity = https://fhir.communautesoignante.ca/CodeSystem/peer-activity
Alias: $life-domain = https://fhir.communautesoignante.ca/CodeSystem/life-domain
Alias: $careplan-category = https://fhir.communautesoignante.ca/CodeSystem/careplan-category
Alias: $programme-id = https://fhir.communautesoignante.ca/identifier/peer-programme

// Public terminology
Alias: $sct = http://snomed.info/sct
Alias: $loinc = http://loinc.org
Alias: $nucc = http://nucc.org/provider-taxonomy
Alias: $consentscope = http://terminology.hl7.org/CodeSystem/consentscope
Alias: $v3-ActCode = http://terminology.hl7.org/CodeSystem/v3-ActCode
Alias: $v3-RoleCode = http://terminology.hl7.org/CodeSystem/v3-RoleCode
Alias: $goal-achievement = http://terminology.hl7.org/CodeSystem/goal-achievement
Alias: $resource-types = http://hl7.org/fhir/resource-types
Alias: $consent-provision-type = http://hl7.org/fhir/consent-provision-type

// Core extensions
Alias: $goal-acceptance = http://hl7.org/fhir/StructureDefinition/goal-acceptance
Alias: $translation = http://hl7.org/fhir/StructureDefinition/translation

// Québec law on the protection of health and social services information (R-22.1)
Alias: $loi-r-22-1 = https://www.legisquebec.gouv.qc.ca/fr/document/lc/R-22.1
