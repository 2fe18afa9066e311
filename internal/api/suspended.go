package api

import "strings"

// writeAllowedWhileSuspended lists the endpoints a suspended account may
// still change: its own settings, mutes, blocks and inbox. Every other
// write is refused by site.CheckWrite.
func writeAllowedWhileSuspended(path string) bool {
	switch path {
	case "/api/v1/me/preferences", "/api/v1/me/muted_tags", "/api/v1/me/muted_users", "/api/v1/me/blocked_users":
		return true
	}
	return strings.HasPrefix(path, "/api/v1/me/inbox") || strings.HasPrefix(path, "/api/v1/me/blocked_users/")
}
