Invariant: cs-ct-1
Description: "Un participant qui a un rôle de pair désigne un RelatedPerson (PeerSupporter). / A participant with a peer role has a member that references a RelatedPerson (PeerSupporter)."
Expression: "participant.where(role.coding.where(system = 'https://fhir.communautesoignante.ca/CodeSystem/care-team-role' and (code = 'patient-partenaire' or code = 'citoyen-partenaire')).exists()).all(member.reference.matches('(^|/)RelatedPerson/[A-Za-z0-9.-]+$') or member.type = 'RelatedPerson')"
Severity: #error
* requirements = "Peers are modelled as patient-scoped RelatedPerson resources; a peer role on a Practitioner would hide that the peer is not a professional and would escape the person's consent to share with that peer. Checked on the reference (relative or absolute RelatedPerson/id) or, for urn:uuid references inside a Bundle, on Reference.type."
