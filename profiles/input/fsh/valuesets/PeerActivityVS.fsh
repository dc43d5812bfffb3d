ValueSet: PeerActivityVS
Id: peer-activity
Title: "Activités des pairs / Peer activities"
Description: "Toutes les activités des pairs. / Every peer activity, for CarePlan.activity.detail.code."
* ^status = #draft
* ^experimental = false
* include codes from system $peer-activity
