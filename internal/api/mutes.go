package api

import (
	"net/http"

	"quire/internal/archive"
)

// GET /api/v1/me/muted_tags
func (a *server) mutedTags(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	names, err := a.site.MutedTagNames(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"tags": names})
	return nil
}

// PUT /api/v1/me/muted_tags {"tags": [names]}: replaces the list.
func (a *server) setMutedTags(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var body struct {
		Tags []string `json:"tags"`
	}
	present, err := a.readJSON(w, r, &body)
	if err != nil {
		return err
	}
	if !present["tags"] {
		return archive.Invalid("tags", "is required: a list of tag names (empty to unmute every tag)")
	}
	names, err := a.site.SetMutedTags(r.Context(), u, body.Tags)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"tags": names})
	return nil
}

// GET /api/v1/me/muted_users
func (a *server) mutedUsers(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	names, err := a.site.MutedUserNames(r.Context(), u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"names": names})
	return nil
}

// PUT /api/v1/me/muted_users {"names": [users]}: replaces the list.
func (a *server) setMutedUsers(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var body struct {
		Names []string `json:"names"`
	}
	present, err := a.readJSON(w, r, &body)
	if err != nil {
		return err
	}
	if !present["names"] {
		return archive.Invalid("names", "is required: a list of user names (empty to unmute everyone)")
	}
	names, err := a.site.SetMutedUsers(r.Context(), u, body.Names)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"names": names})
	return nil
}
