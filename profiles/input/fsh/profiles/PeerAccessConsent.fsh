Profile: PeerAccessConsent
Parent: Consent
Id: peer-access-consent
Title: "Consentement au partage avec un pair / Consent to share with a peer"
Description: """
Le consentement de la personne à partager une partie de son dossier avec un pair nommé, pour une période
donnée. / The person's specific, time-limited consent to share part of their record with a named peer.

Québec's *Loi sur les renseignements de santé et de services sociaux* (R-22.1) requires consent to be specific and
time-limited. The consent therefore denies by default (`provision.type = deny`) and opens, in a nested provision, a
permit for one named peer (`actor`), for a stated period, limited to the peer-support plan, the goals and the care
team (`class` = CarePlan, Goal, CareTeam). Scope and category follow the Gravity SDOH pattern for sharing with
non-clinical recipients: scope patient-privacy, category LOINC 64292-6 *Release of information consent*.
"""
* ^status = #draft
* ^experimental = false
* obeys cs-consent-1 and cs-consent-2
* status MS
* scope MS
* scope = $consentscope#patient-privacy
* scope ^requirements = "This is a privacy consent: it governs who may see information, not a treatment."
* category 1..* MS
* category ^slicing.discriminator.type = #pattern
* category ^slicing.discriminator.path = "$this"
* category ^slicing.rules = #open
* category ^slicing.description = "The LOINC release-of-information category is required."
* category contains releaseOfInformation 1..1 MS
* category[releaseOfInformation] = $loinc#64292-6
* category[releaseOfInformation] ^requirements = "Identifies the consent as a release of information to a named recipient."
* patient 1..1 MS
* patient ^short = "La personne qui consent / The person who consents"
* dateTime 1..1 MS
* dateTime ^requirements = "When the person gave consent; needed to answer 'what did the person agree to, and when'."
* performer MS
* organization MS
* source[x] MS
* policy 1..* MS
* policy.uri 1..1 MS
* policy ^slicing.discriminator.type = #value
* policy ^slicing.discriminator.path = "uri"
* policy ^slicing.rules = #open
* policy ^slicing.description = "The Québec law is always named."
* policy contains quebecLaw 1..1 MS
* policy[quebecLaw].uri = "https://www.legisquebec.gouv.qc.ca/fr/document/lc/R-22.1"
* policy[quebecLaw] ^short = "Loi sur les renseignements de santé et de services sociaux (R-22.1)"
* policy[quebecLaw] ^requirements = "The consent is given under Québec law; other systems must be able to tell which rules apply."
* provision 1..1 MS
* provision.type 1..1 MS
* provision.type = #deny
* provision.type ^requirements = "Deny by default: only what the nested permit names is shared."
* provision.provision 1..* MS
* provision.provision ^short = "Permission pour le pair / Permit for the peer"
* provision.provision.type 1..1 MS
* provision.provision.type = #permit
* provision.provision.period 1..1 MS
* provision.provision.actor 1..* MS
* provision.provision.actor.role MS
* provision.provision.actor.reference only Reference(PeerSupporter)
* provision.provision.actor.reference ^requirements = "Consent is given to a named peer, never to peers in general."
* provision.provision.action MS
* provision.provision.class 1..* MS
* provision.provision.class from ConsentPeerResourceTypesVS (required)
* status ^requirements = "Only an active consent lets the peer see anything; a withdrawn or ended consent stays on record."
* category ^requirements = "Sliced so the release-of-information category is always present; other categories may be added."
* patient ^requirements = "The consent is the person's own decision about their own record."
* performer ^requirements = "Who gave the consent: the person, or a substitute decision-maker."
* organization ^requirements = "The organisation that holds the record and records the consent (the GMF or CLSC)."
* source[x] ^requirements = "The signed form or the note in which the consent was recorded, when there is one."
* policy ^requirements = "Names the rules the consent is given under; the Québec law is required (slice quebecLaw)."
* policy.uri ^requirements = "A policy must point to its text so that another system can read which rules apply."
* policy[quebecLaw].uri ^requirements = "The LégisQuébec address of R-22.1 identifies the law without ambiguity."
* provision ^requirements = "The root provision carries the deny-by-default rule."
* provision.provision ^requirements = "Each nested permit opens part of the record to one named peer."
* provision.provision.type ^requirements = "A nested provision under a deny only makes sense as a permit."
* provision.provision.period ^requirements = "Consent is time-limited (R-22.1): the permit ends at a stated date."
* provision.provision.actor ^requirements = "Consent is given to a named peer, never to peers in general."
* provision.provision.actor.role ^requirements = "R4 requires the actor's role; information recipient (IRCP) is the expected one."
* provision.provision.action ^requirements = "What the peer may do: access (read) is the expected action."
* provision.provision.class ^requirements = "Limits the permit to the plan, the goals and the team: the peer does not need the clinical record."
