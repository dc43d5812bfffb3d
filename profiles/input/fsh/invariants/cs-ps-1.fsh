Invariant: cs-ps-1
Description: "Un pair dont l'accompagnement est terminé n'est plus actif. / A peer whose accompaniment period has ended is no longer active."
Expression: "(period.end.exists() and period.end < now()) implies active = false"
Severity: #error
* requirements = "The app shows active peers on the chart: a peer who stopped accompanying the person must not appear as current, and the period keeps the history."
