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
