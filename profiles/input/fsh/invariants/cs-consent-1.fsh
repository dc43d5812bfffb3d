Invariant: cs-consent-1
Description: "Chaque permission imbriquée nomme un acteur et une période avec une fin. / Each nested permit names an actor and a period with an end."
Expression: "provision.provision.where(type = 'permit').all(actor.exists() and period.start.exists() and period.end.exists())"
Severity: #error
* requirements = "Québec law (R-22.1) asks for a specific and time-limited consent: the person consents to share with a named peer for a stated period, never with peers in general or forever."
