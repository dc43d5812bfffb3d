Invariant: cs-cp-1
Description: "Une activité de pair nomme qui la réalise et quand. / A peer activity names its performer and its schedule."
Expression: "activity.where(detail.code.coding.system = 'https://fhir.communautesoignante.ca/CodeSystem/peer-activity').all(detail.performer.exists() and detail.scheduled.exists())"
Severity: #error
* requirements = "Peers meet the person regularly (often weekly); the plan is useful to the team only if it says which peer does what and how often."
