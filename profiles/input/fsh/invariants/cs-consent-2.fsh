Invariant: cs-consent-2
Description: "Une permission imbriquée ne porte que sur CarePlan, Goal et CareTeam. / A nested permit covers only CarePlan, Goal and CareTeam."
Expression: "provision.provision.where(type = 'permit').all(class.exists() and class.all(system = 'http://hl7.org/fhir/resource-types' and (code = 'CarePlan' or code = 'Goal' or code = 'CareTeam')))"
Severity: #error
* requirements = "A peer is not a professional: to accompany the person they need the plan, the goals and the team, not the clinical record."
