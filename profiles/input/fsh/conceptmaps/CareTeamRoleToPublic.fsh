Instance: CareTeamRoleToPublic
InstanceOf: ConceptMap
Title: "Rôles vers codes publics / Care team roles to public codes"
Description: "Relie les rôles de la communauté soignante aux codes publics les plus proches (NUCC, SNOMED CT), pour les systèmes qui ne connaissent que ceux-là. / Maps Caring Community roles to the nearest public codes. No standard code for a peer supporter exists in SNOMED CT International; NUCC 175T00000X (Peer Specialist, US) is the closest."
Usage: #definition
* id = "care-team-role-to-public"
* url = "https://fhir.communautesoignante.ca/ConceptMap/care-team-role-to-public"
* version = "0.1.0"
* name = "CareTeamRoleToPublic"
* status = #draft
* experimental = false
* publisher = "Caring Community FHIR project"
* sourceCanonical = "https://fhir.communautesoignante.ca/ValueSet/care-team-role"
* group[0].source = $care-team-role
* group[0].target = $nucc
* group[0].element[0].code = #patient-partenaire
* group[0].element[0].display = "Patient partenaire"
* group[0].element[0].target[0].code = #175T00000X
* group[0].element[0].target[0].display = "Peer Specialist"
* group[0].element[0].target[0].equivalence = #inexact
* group[0].element[0].target[0].comment = "A US certified role centred on mental health and substance use; a patient partenaire draws on any lived experience of illness and care."
* group[0].element[1].code = #citoyen-partenaire
* group[0].element[1].display = "Citoyen partenaire"
* group[0].element[1].target[0].code = #175T00000X
* group[0].element[1].target[0].display = "Peer Specialist"
* group[0].element[1].target[0].equivalence = #relatedto
* group[0].element[1].target[0].comment = "A citoyen partenaire is a neighbourhood peer, not necessarily with lived experience of the same conditions."
* group[1].source = $care-team-role
* group[1].target = $sct
* group[1].element[0].code = #clinicien-partenaire
* group[1].element[0].display = "Clinicien partenaire"
* group[1].element[0].target[0].code = #62247001
* group[1].element[0].target[0].display = "Family medicine specialist"
* group[1].element[0].target[0].equivalence = #narrower
* group[1].element[0].target[1].code = #224535009
* group[1].element[0].target[1].display = "Registered nurse"
* group[1].element[0].target[1].equivalence = #narrower
* group[1].element[0].target[2].code = #106328005
* group[1].element[0].target[2].display = "Social worker"
* group[1].element[0].target[2].equivalence = #narrower
* group[1].element[0].target[3].code = #59944000
* group[1].element[0].target[3].display = "Psychologist"
* group[1].element[0].target[3].equivalence = #narrower
* group[1].element[1].code = #proche
* group[1].element[1].display = "Proche"
* group[1].element[1].target[0].code = #133932002
* group[1].element[1].target[0].display = "Caregiver (person)"
* group[1].element[1].target[0].equivalence = #inexact
* group[1].element[1].target[0].comment = "A proche may be a proche aidant (caregiver) or simply a relative or friend the person invites."
* group[1].element[2].code = #personne-accompagnee
* group[1].element[2].display = "Personne accompagnée"
* group[1].element[2].target[0].code = #116154003
* group[1].element[2].target[0].display = "Patient (person)"
* group[1].element[2].target[0].equivalence = #equivalent
