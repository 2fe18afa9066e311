package api

import (
	"net/http"
	"strconv"

	"quire/internal/archive"
)

func workIDParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, archive.ErrNotFound
	}
	return id, nil
}

// GET /api/v1/me/hidden_works — the works the reader hid, most recent first.
func (a *server) hiddenWorks(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	hs, err := a.site.HiddenWorks(r.Context(), u)
	if err != nil {
		return err
	}
	out := make([]*workJSON, 0, len(hs))
	for _, h := range hs {
		out = append(out, a.work(u, h.Work))
	}
	writeJSON(w, http.StatusOK, map[string]any{"works": out})
	return nil
}

// POST /api/v1/me/hidden_works/{id} — 204; the work leaves every listing,
// count and facet for the reader. Hiding it again changes nothing.
func (a *server) hideWork(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := workIDParam(r)
	if err != nil {
		return err
	}
	if err := a.site.HideForReader(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// DELETE /api/v1/me/hidden_works/{id} — 204.
func (a *server) unhideWork(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := workIDParam(r)
	if err != nil {
		return err
	}
	if err := a.site.UnhideForReader(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
