package api

import (
	"net/http"

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
