package api

import (
	"net/http"

	"quire/internal/archive"
)

// GET /api/v1/me/blocked_users
func (a *server) blockedUsers(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	names, err := a.site.BlockedUsers(r.Context(), u)
	if err != nil {
		return err
	}
	if names == nil {
		names = []string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"names": names})
	return nil
}

// POST /api/v1/me/blocked_users {"name"} — 201; a repeat is 409, an unknown
// name or oneself 422.
func (a *server) blockUser(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var in struct {
		Name string `json:"name"`
	}
	if _, err := a.readJSON(w, r, &in); err != nil {
		return err
	}
	target, err := a.site.Block(r.Context(), u, in.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"name": target.Name})
	return nil
}

// DELETE /api/v1/me/blocked_users/{name} — 204; 404 when not blocked.
func (a *server) unblockUser(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	if err := a.site.Unblock(r.Context(), u, r.PathValue("name")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
