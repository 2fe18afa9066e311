package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"quire/internal/archive"
	"quire/internal/site"
)

// Saved searches: GET|POST /api/v1/me/searches, PATCH|DELETE …/{id}, and
// POST …/{id}/feed_token for a new feed link (the old one revoked).

type savedSearchJSON struct {
	ID      int64          `json:"id"`
	Name    string         `json:"name"`
	Params  map[string]any `json:"params"`
	Default bool           `json:"default"`
	Digest  string         `json:"digest"`
	FeedURL string         `json:"feed_url"`
	URL     string         `json:"url"`
}

// repeatable reports whether a listing parameter takes several values.
func repeatable(key string) bool {
	k := strings.TrimPrefix(key, "exclude_")
	switch k {
	case "tag", "rating", "warning", "category":
		return true
	}
	for _, t := range archive.FreeTagTypes {
		if k == string(t) {
			return true
		}
	}
	return false
}

func (a *server) savedSearch(ss *site.SavedSearch) savedSearchJSON {
	params := map[string]any{}
	for k, vals := range ss.Values {
		if repeatable(k) {
			params[k] = vals
		} else if len(vals) > 0 {
			params[k] = vals[0]
		}
	}
	return savedSearchJSON{ID: ss.ID, Name: ss.Name, Params: params, Default: ss.Default, Digest: ss.Digest,
		FeedURL: ss.FeedURL, URL: a.site.BaseURL + ss.Path}
}

// paramValues turns the JSON params object into URL values: a value is a
// string, a number, a boolean or a list of strings and numbers.
func paramValues(raw map[string]json.RawMessage) (url.Values, error) {
	out := url.Values{}
	for k, m := range raw {
		var one any
		if err := json.Unmarshal(m, &one); err != nil {
			return nil, malformed("params.%s: not JSON", k)
		}
		add := func(v any) bool {
			switch x := v.(type) {
			case string:
				out.Add(k, x)
			case float64:
				out.Add(k, strconv.FormatFloat(x, 'f', -1, 64))
			case bool:
				out.Add(k, strconv.FormatBool(x))
			case nil:
			default:
				return false
			}
			return true
		}
		if list, ok := one.([]any); ok {
			for _, v := range list {
				if _, nested := v.([]any); nested || !add(v) {
					return nil, archive.Invalid("params."+k, "must be a string, a number, true or false, or a list of them")
				}
			}
			continue
		}
		if !add(one) {
			return nil, archive.Invalid("params."+k, "must be a string, a number, true or false, or a list of them")
		}
	}
	return out, nil
}

type savedSearchBody struct {
	Name    *string                    `json:"name"`
	Params  map[string]json.RawMessage `json:"params"`
	Default *bool                      `json:"default"`
	Digest  *string                    `json:"digest"`
}

func (b savedSearchBody) input(present map[string]bool) (site.SavedSearchInput, error) {
	in := site.SavedSearchInput{Name: b.Name, Default: b.Default, Digest: b.Digest}
	if present["params"] {
		v, err := paramValues(b.Params)
		if err != nil {
			return in, err
		}
		in.Params = v
	}
	return in, nil
}

// GET /api/v1/me/searches
func (a *server) savedSearches(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	ss, err := a.site.SavedSearches(r.Context(), u)
	if err != nil {
		return err
	}
	out := make([]savedSearchJSON, 0, len(ss))
	for i := range ss {
		out = append(out, a.savedSearch(&ss[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"searches": out})
	return nil
}

// POST /api/v1/me/searches {"name","params","default","digest"} → 201.
func (a *server) createSavedSearch(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var b savedSearchBody
	present, err := a.readJSON(w, r, &b)
	if err != nil {
		return err
	}
	in, err := b.input(present)
	if err != nil {
		return err
	}
	if in.Params == nil {
		in.Params = url.Values{}
	}
	ss, err := a.site.SaveSearch(r.Context(), u, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a.savedSearch(ss))
	return nil
}

// searchID is the id in the path of one of the logged-in reader's saved
// searches (401 for a guest, 404 for an id that is not a number).
func searchID(r *http.Request, u *archive.User) (int64, error) {
	if err := requireUser(u); err != nil {
		return 0, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, archive.Explain(archive.ErrNotFound, "there is no saved search %q", r.PathValue("id"))
	}
	return id, nil
}

// PATCH /api/v1/me/searches/{id}: any subset of the POST's fields.
func (a *server) updateSavedSearch(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := searchID(r, u)
	if err != nil {
		return err
	}
	var b savedSearchBody
	present, err := a.readJSON(w, r, &b)
	if err != nil {
		return err
	}
	in, err := b.input(present)
	if err != nil {
		return err
	}
	ss, err := a.site.UpdateSavedSearch(r.Context(), u, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.savedSearch(ss))
	return nil
}

// DELETE /api/v1/me/searches/{id} → 204.
func (a *server) deleteSavedSearch(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := searchID(r, u)
	if err != nil {
		return err
	}
	if err := a.site.DeleteSavedSearch(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// POST /api/v1/me/searches/{id}/feed_token: a new feed_url; the old one
// stops working.
func (a *server) newSavedSearchToken(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := searchID(r, u)
	if err != nil {
		return err
	}
	ss, err := a.site.NewSavedSearchToken(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.savedSearch(ss))
	return nil
}
