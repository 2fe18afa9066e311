package api

import (
	"net/http"
	"net/url"
	"strings"

	"quire/internal/archive"
)

// GET /api/v1/me: the token's user.
func (a *server) me(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	roles := u.Roles
	if roles == nil {
		roles = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"name": u.Name, "email": u.Email, "roles": roles})
	return nil
}

// GET /api/v1/me/drafts: the token user's draft works.
func (a *server) drafts(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	ws, err := a.site.Drafts(r.Context(), u)
	if err != nil {
		return err
	}
	out := make([]*workJSON, 0, len(ws))
	for _, work := range ws {
		out = append(out, a.work(u, work))
	}
	writeJSON(w, http.StatusOK, map[string]any{"works": out})
	return nil
}

// PATCH /api/v1/me: {"name"} renames the account (the old name redirects).
func (a *server) patchMe(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var b struct {
		Name *string `json:"name"`
	}
	if _, err := a.readJSON(w, r, &b); err != nil {
		return err
	}
	if b.Name != nil {
		renamed, err := a.site.RenameByToken(r.Context(), u, *b.Name)
		if err != nil {
			return err
		}
		u = renamed
	}
	return a.me(w, r, u)
}

// formerNames answers a read of /api/v1/users/{old}… with a 301 to the
// same path under the account's new name, for as long as nobody has the
// old name.
func (a *server) formerNames(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rest, ok := strings.CutPrefix(r.URL.Path, "/api/v1/users/"); ok && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			name, tail, _ := strings.Cut(rest, "/")
			if name != "" {
				if to, err := a.site.RenamedTo(r.Context(), name); err == nil {
					target := "/api/v1/users/" + url.PathEscape(to)
					if tail != "" || strings.HasSuffix(rest, "/") {
						target += "/" + tail
					}
					if r.URL.RawQuery != "" {
						target += "?" + r.URL.RawQuery
					}
					http.Redirect(w, r, target, http.StatusMovedPermanently)
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}
