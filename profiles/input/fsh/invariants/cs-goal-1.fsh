Invariant: cs-goal-1
Description: "Un objectif terminé dit s'il a été atteint. / A completed goal states its achievement status."
Expression: "lifecycleStatus = 'completed' implies achievementStatus.exists()"
Severity: #error
* requirements = "Health authorities count goals the person reached; 'completed' alone does not say whether the person achieved the goal or set it aside."
