Invariant: cs-ct-2
Description: "La participation d'un pair a une date de début. / A peer's participation has a start date."
Expression: "participant.where(role.coding.where(system = 'https://fhir.communautesoignante.ca/CodeSystem/care-team-role' and (code = 'patient-partenaire' or code = 'citoyen-partenaire')).exists()).all(period.start.exists())"
Severity: #error
* requirements = "A peer joins and leaves the team by dates, never by deleting history: the start date is what the person's consent and the team's history are read against."
