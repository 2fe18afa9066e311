package web

import (
	"net/http"
	"strings"

	"quire/internal/archive"
)

// mutesPage is the muted tags and users form.
type mutesPage struct {
	Tags  string // one per line
	Users string
	Feed  *feedTokenPart
}

func (srv *Server) mutesForm(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	tags, err := srv.site.MutedTagNames(r.Context(), u)
	if err != nil {
		return err
	}
	users, err := srv.site.MutedUserNames(r.Context(), u)
	if err != nil {
		return err
	}
	feed, err := srv.feedTokenPart(r, u)
	if err != nil {
		return err
	}
	flash := ""
	if r.URL.Query().Get("changed") == "1" {
		flash = msg("Your muted tags and users have been saved.")
	}
	if r.URL.Query().Get("feed_token") == "new" {
		flash = msg("Your private feed token is ready. Links with an older token no longer work.")
	}
	srv.render(w, r, http.StatusOK, "mutes", pageData{Title: "Muted tags and users", Message: flash,
		P: &mutesPage{Tags: strings.Join(tags, "\n"), Users: strings.Join(users, "\n"), Feed: feed}})
	return nil
}

// splitLines reads a textarea of names, one per line or comma-separated.
func splitLines(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		out = append(out, archive.SplitTagList(line)...)
	}
	return out
}

func (srv *Server) saveMutes(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	p := &mutesPage{}
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "mutes", "Muted tags and users", p)
	}
	p.Tags, p.Users = r.PostForm.Get("tags"), r.PostForm.Get("users")
	if _, err := srv.site.SetMutedTags(r.Context(), u, splitLines(p.Tags)); err != nil {
		return srv.invalid(w, r, err, "mutes", "Muted tags and users", p)
	}
	if _, err := srv.site.SetMutedUsers(r.Context(), u, splitLines(p.Users)); err != nil {
		return srv.invalid(w, r, err, "mutes", "Muted tags and users", p)
	}
	http.Redirect(w, r, "/account/mutes?changed=1", http.StatusSeeOther)
	return nil
}
