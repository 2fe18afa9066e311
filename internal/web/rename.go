package web

import (
	"net/http"
	"net/url"
	"strings"

	"quire/internal/archive"
)

// formerNames sends /users/{old}… to the renamed account's pages (301),
// for as long as no account has the old name.
func (srv *Server) formerNames(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rest, ok := strings.CutPrefix(r.URL.Path, "/users/"); ok && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			name, tail, _ := strings.Cut(rest, "/")
			if name != "" {
				if to, err := srv.site.RenamedTo(r.Context(), name); err == nil {
					target := "/users/" + url.PathEscape(to)
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

// POST /account/name: a new account name (the password confirms it).
func (srv *Server) changeName(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	renamed, err := srv.site.RenameUser(r.Context(), u, r.PostForm.Get("password"), r.PostForm.Get("name"))
	if err != nil {
		return srv.invalid(w, r, err, "account", "Account settings", formValues{"email": u.Email, "name": r.PostForm.Get("name")})
	}
	http.Redirect(w, r, "/users/"+url.PathEscape(renamed.Name), http.StatusSeeOther)
	return nil
}
