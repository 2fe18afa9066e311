package web

import "strings"

// writeAllowedWhileSuspended lists the forms a suspended account may still
// post: logging in and out, its own settings and inbox, and unsubscribing
// from mail. Every other POST is refused by site.CheckWrite.
func writeAllowedWhileSuspended(path string) bool {
	switch path {
	case "/login", "/logout", "/password_reset", "/account/password", "/account/email", "/account/preferences", "/account/mutes", "/inbox":
		return true
	}
	return strings.HasPrefix(path, "/unsubscribe/")
}
