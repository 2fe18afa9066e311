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
	bio, err := a.site.Bio(r.Context(), u, u)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"name": u.Name, "email": u.Email, "roles": roles,
		"bio": bio.HTML, "bio_source": bio.Source, "bio_format": bioFormat(bio)})
	return nil
}

func bioFormat(bio archive.Rich) string {
	if bio.Format == "" {
		return string(archive.FormatHTML)
	}
	return string(bio.Format)
}

// GET /api/v1/users/{name}: an account's public profile.
func (a *server) getUser(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	owner, err := a.site.User(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	bio, err := a.site.Bio(r.Context(), u, owner)
	if err != nil {
		return err
	}
	ps, err := a.site.Pseuds(r.Context(), owner.ID)
	if err != nil {
		return err
	}
	pseuds := make([]pseudJSON, 0, len(ps))
	for _, p := range ps {
		pseuds = append(pseuds, a.pseud(owner.Name, p))
	}
	writeJSON(w, http.StatusOK, map[string]any{"name": owner.Name, "bio": bio.HTML, "pseuds": pseuds})
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

// PATCH /api/v1/me: {"name"} renames the account (the old name redirects);
// {"bio", "bio_format"} sets the profile's bio (rich text, sanitized). The
// bio is checked before the rename, so a refused bio renames nothing.
func (a *server) patchMe(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var b struct {
		Name      *string `json:"name"`
		Bio       *string `json:"bio"`
		BioFormat string  `json:"bio_format"`
	}
	if _, err := a.readJSON(w, r, &b); err != nil {
		return err
	}
	if b.Bio != nil {
		if _, err := archive.PrepareBio(*b.Bio, archive.Format(b.BioFormat)); err != nil {
			return err
		}
	}
	if b.Name != nil {
		renamed, err := a.site.RenameByToken(r.Context(), u, *b.Name)
		if err != nil {
			return err
		}
		u = renamed
	}
	if b.Bio != nil {
		if _, err := a.site.SetBio(r.Context(), u, *b.Bio, archive.Format(b.BioFormat)); err != nil {
			return err
		}
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
