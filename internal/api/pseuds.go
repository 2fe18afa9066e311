package api

import (
	"net/http"
	"net/url"
	"strings"

	"quire/internal/archive"
)

// pseudJSON is one pseud: {"name","default","url"}.
type pseudJSON struct {
	Name    string `json:"name"`
	Default bool   `json:"default"`
	URL     string `json:"url"`
}

func (a *server) pseud(userName string, p archive.Pseud) pseudJSON {
	return pseudJSON{Name: p.Name, Default: p.IsDefault,
		URL: strings.TrimRight(a.site.BaseURL, "/") + "/users/" + url.PathEscape(userName) + "/pseuds/" + url.PathEscape(p.Name)}
}

type pseudBody struct {
	Name string `json:"name"`
}

// GET /api/v1/users/{name}/pseuds
func (a *server) listPseuds(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	owner, err := a.site.User(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	ps, err := a.site.Pseuds(r.Context(), owner.ID)
	if err != nil {
		return err
	}
	out := make([]pseudJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, a.pseud(owner.Name, p))
	}
	writeJSON(w, http.StatusOK, map[string]any{"pseuds": out})
	return nil
}

// POST /api/v1/me/pseuds {"name"}: 201, 409 when the name is taken.
func (a *server) createPseud(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var b pseudBody
	if _, err := a.readJSON(w, r, &b); err != nil {
		return err
	}
	p, err := a.site.CreatePseud(r.Context(), u, b.Name)
	if err != nil {
		return err
	}
	j := a.pseud(u.Name, *p)
	w.Header().Set("Location", "/api/v1/me/pseuds/"+url.PathEscape(p.Name))
	writeJSON(w, http.StatusCreated, j)
	return nil
}

// PATCH /api/v1/me/pseuds/{pseud} {"name"}: rename (not the default pseud).
func (a *server) renamePseud(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var b pseudBody
	present, err := a.readJSON(w, r, &b)
	if err != nil {
		return err
	}
	if !present["name"] {
		return archive.Invalid("name", "is required")
	}
	p, err := a.site.RenamePseud(r.Context(), u, r.PathValue("pseud"), b.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.pseud(u.Name, *p))
	return nil
}

// DELETE /api/v1/me/pseuds/{pseud}: its works move to the default pseud.
func (a *server) deletePseud(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	if err := a.site.DeletePseud(r.Context(), u, r.PathValue("pseud")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
