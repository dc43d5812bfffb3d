ValueSet: PeerRoleVS
Id: peer-role
Title: "Rôles de pair / Peer roles"
Description: "Les deux rôles de pair : patient partenaire et citoyen partenaire. / The two peer roles. Used by PeerSupporter.relationship so that a peer's RelatedPerson always says which kind of peer they are, which a personal-relationship code could not."
* ^status = #draft
* ^experimental = false
* $care-team-role#patient-partenaire "Patient partenaire"
* $care-team-role#citoyen-partenaire "Citoyen partenaire"
