package web

import "quire/internal/archive"

// localPath is the one gate for every place a request names where to send
// the browser next (return_to after log-in, mark for later, subscribe,
// kudos and comment forms): target when archive.IsLocalPath accepts it,
// otherwise fallback.
func localPath(target, fallback string) string {
	if !archive.IsLocalPath(target) {
		return fallback
	}
	return target
}
