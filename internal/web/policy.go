package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"quire/internal/archive"
	"quire/internal/site"
)

// Sign-up policy, invitations, e-mail verification, the site settings and
// the review queue (the spam defences' pages).

// honeypot reports whether a form's hidden "website" field, which people
// never see and so leave empty, was filled in (by a bot).
func honeypot(r *http.Request) bool { return r.PostFormValue("website") != "" }

// signupValues are the sign-up form's policy fields: the policy, and the
// invitation when it is one that can still be used.
func (srv *Server) signupValues(r *http.Request, invitation string) (formValues, error) {
	p, err := srv.site.Policy(r.Context())
	if err != nil {
		return nil, err
	}
	v := formValues{"policy": p.Signup}
	if invitation != "" {
		if srv.site.InvitationUsable(r.Context(), invitation) {
			v["invitation"] = invitation
		} else {
			v["bad_invitation"] = "1"
		}
	}
	return v, nil
}

// signupRefused re-renders the sign-up form with why it was refused.
func (srv *Server) signupRefused(w http.ResponseWriter, r *http.Request, err error, v formValues) error {
	var ref *site.Refusal
	if errors.As(err, &ref) {
		if errors.Is(err, site.ErrBadInvitation) {
			delete(v, "invitation")
			v["bad_invitation"] = "1"
		}
		srv.render(w, r, http.StatusForbidden, "signup", pageData{Title: "Sign up", Errors: []string{sentence(srv.tr(r, ref.Message))}, P: v})
		return nil
	}
	return srv.invalid(w, r, err, "signup", "Sign up", v)
}

// adminPage wraps a page for one role (admin or moderator), as staff does.
func (srv *Server) adminPage(role string, h func(w http.ResponseWriter, r *http.Request, u *archive.User) error) http.HandlerFunc {
	return srv.staffRole(role, srv.page(func(w http.ResponseWriter, r *http.Request) error { return h(w, r, currentUser(r)) }))
}

// settingsPage is /admin/settings.
type settingsPage struct {
	Policy  archive.Policy
	Signups []choice
	Ratings []choice
}

type choice struct {
	ID, Value, Label string
	Checked          bool
}

func newSettingsPage(p archive.Policy) settingsPage {
	sp := settingsPage{Policy: p}
	for _, c := range []choice{{Value: archive.SignupOpen, Label: msg("Open: anyone may sign up")},
		{Value: archive.SignupInvite, Label: msg("By invitation only")}, {Value: archive.SignupClosed, Label: msg("Closed")}} {
		c.ID, c.Checked = "set-signup-"+c.Value, p.Signup == c.Value
		sp.Signups = append(sp.Signups, c)
	}
	for i, r := range archive.Ratings {
		c := choice{ID: "set-refuse-" + strconv.Itoa(i), Value: r, Label: r}
		for _, x := range p.RefuseRatings {
			c.Checked = c.Checked || x == r
		}
		sp.Ratings = append(sp.Ratings, c)
	}
	return sp
}

// GET /admin/settings
func (srv *Server) settingsForm(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	p, err := srv.site.Policy(r.Context())
	if err != nil {
		return err
	}
	msg := ""
	if r.URL.Query().Get("saved") != "" {
		msg = "The settings are saved; they apply from the next request."
	}
	srv.render(w, r, http.StatusOK, "admin_settings", pageData{Title: "Site settings", Message: msg, P: newSettingsPage(p)})
	return nil
}

// POST /admin/settings
func (srv *Server) saveSettings(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	p := archive.Policy{Signup: f.Get("signup"), VerifyEmail: f.Get("verify_email") != "",
		RefuseRatings: f["refuse_rating"], RefusalMessage: f.Get("refusal_message")}
	var bad error
	for _, n := range []struct {
		field string
		dst   *int
	}{{"new_account_hours", &p.NewAccountHours}, {"new_account_works", &p.NewAccountWorks}, {"review_first_works", &p.ReviewFirstWorks}} {
		v, err := strconv.Atoi(strings.TrimSpace(f.Get(n.field)))
		if err != nil && bad == nil {
			bad = archive.Invalid(n.field, "must be a whole number")
		}
		*n.dst = v
	}
	if bad == nil {
		bad = srv.site.SetPolicy(r.Context(), u, p)
	}
	if bad != nil {
		return srv.invalid(w, r, bad, "admin_settings", "Site settings", newSettingsPage(p))
	}
	http.Redirect(w, r, "/admin/settings?saved=1", http.StatusSeeOther)
	return nil
}

// GET /admin/invitations (after a change, ?sent=N or ?given=N says what
// was done)
func (srv *Server) invitationsPage(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	msg := ""
	if n, err := strconv.Atoi(r.URL.Query().Get("sent")); err == nil {
		msg = srv.trn(r, "{0} invitations sent.", n)
	} else if n, err := strconv.Atoi(r.URL.Query().Get("given")); err == nil {
		msg = srv.trn(r, "{0} invitations given to hand on.", n)
	}
	return srv.renderInvitations(w, r, u, http.StatusOK, msg, nil)
}

func (srv *Server) renderInvitations(w http.ResponseWriter, r *http.Request, u *archive.User, status int, msg string, fail error) error {
	o, err := srv.site.Invitations(r.Context(), u)
	if err != nil {
		return err
	}
	d := pageData{Title: "Invitations", Message: msg, P: o}
	var ve *archive.ValidationError
	if errors.As(fail, &ve) {
		d.Errors = []string{humanField(srv.readerOf(r).loc, ve)}
		status = http.StatusUnprocessableEntity
	}
	srv.render(w, r, status, "admin_invitations", d)
	return nil
}

// POST /admin/invitations: count (from the queue's front) or email.
func (srv *Server) sendInvitations(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	sent := 1
	var err error
	if email := r.PostForm.Get("email"); email != "" {
		err = srv.site.InviteAddress(r.Context(), u, email)
	} else {
		n, _ := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("count")))
		var to []string
		to, err = srv.site.InviteFromQueue(r.Context(), u, n)
		sent = len(to)
	}
	if err != nil {
		if errors.As(err, new(*archive.ValidationError)) {
			return srv.renderInvitations(w, r, u, http.StatusUnprocessableEntity, "", err)
		}
		return err
	}
	http.Redirect(w, r, "/admin/invitations?sent="+strconv.Itoa(sent), http.StatusSeeOther)
	return nil
}

// POST /admin/invitations/give
func (srv *Server) giveInvitations(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	n, _ := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("count")))
	name := strings.TrimSpace(r.PostForm.Get("user"))
	if err := srv.site.GiveInvitations(r.Context(), u, name, n); err != nil {
		if errors.As(err, new(*archive.ValidationError)) {
			return srv.renderInvitations(w, r, u, http.StatusUnprocessableEntity, "", err)
		}
		return err
	}
	http.Redirect(w, r, "/admin/invitations?given="+strconv.Itoa(n), http.StatusSeeOther)
	return nil
}

// userInvitationsPage is /users/{name}/invitations.
type userInvitationsPage struct {
	Owner       *archive.User
	Invitations []archive.Invitation
	Unsent      int
}

// GET /users/{name}/invitations (?sent=1 after sending one)
func (srv *Server) userInvitations(w http.ResponseWriter, r *http.Request) error {
	msg := ""
	if r.URL.Query().Get("sent") != "" {
		msg = "Invitation sent."
	}
	return srv.renderUserInvitations(w, r, http.StatusOK, msg, nil)
}

func (srv *Server) renderUserInvitations(w http.ResponseWriter, r *http.Request, status int, msg string, fail error) error {
	w.Header().Set("Cache-Control", "private, no-store")
	owner, invs, unsent, err := srv.site.UserInvitations(r.Context(), currentUser(r), r.PathValue("name"))
	if err != nil {
		return err
	}
	d := pageData{Title: "Invitations", Message: msg, P: userInvitationsPage{Owner: owner, Invitations: invs, Unsent: unsent}}
	var ve *archive.ValidationError
	if errors.As(fail, &ve) {
		d.Errors, status = []string{humanField(srv.readerOf(r).loc, ve)}, http.StatusUnprocessableEntity
	}
	srv.render(w, r, status, "user_invitations", d)
	return nil
}

// POST /users/{name}/invitations
func (srv *Server) sendUserInvitation(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if !strings.EqualFold(r.PathValue("name"), u.Name) {
		return archive.ErrForbidden
	}
	email := r.PostFormValue("email")
	if err := srv.site.SendUserInvitation(r.Context(), u, email); err != nil {
		if errors.As(err, new(*archive.ValidationError)) {
			return srv.renderUserInvitations(w, r, http.StatusUnprocessableEntity, "", err)
		}
		return err
	}
	http.Redirect(w, r, "/users/"+url.PathEscape(u.Name)+"/invitations?sent=1", http.StatusSeeOther)
	return nil
}

// GET /invite_requests (with ?email=, the address's place in the queue)
func (srv *Server) inviteRequestForm(w http.ResponseWriter, r *http.Request) error {
	v := formValues{}
	if email := strings.TrimSpace(r.URL.Query().Get("email")); email != "" {
		v["email"] = email
		place, err := srv.site.InvitationPlace(r.Context(), email)
		switch {
		case errors.Is(err, archive.ErrNotFound):
			srv.render(w, r, http.StatusOK, "invite_requests", pageData{Title: "Ask for an invitation",
				Errors: []string{"That address is not in the queue (it may already have been sent its invitation)."}, P: v})
			return nil
		case err != nil:
			return err
		}
		v["place"] = strconv.Itoa(place)
	}
	srv.render(w, r, http.StatusOK, "invite_requests", pageData{Title: "Ask for an invitation", P: v})
	return nil
}

// POST /invite_requests
func (srv *Server) requestInvitation(w http.ResponseWriter, r *http.Request) error {
	v := formValues{"email": strings.TrimSpace(r.PostFormValue("email"))}
	if honeypot(r) {
		srv.site.NoteStopped(site.DefenceHoneypot)
		srv.render(w, r, http.StatusOK, "invite_requests", pageData{Title: "Ask for an invitation", P: formValues{}})
		return nil
	}
	// One address queues a few addresses a minute, as it asks for a few
	// password resets.
	if ok, wait := srv.loginByIP.Allow("invite:" + srv.opt.ClientIP(r)); !ok {
		secs := int(wait.Seconds()) + 1
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		srv.render(w, r, http.StatusTooManyRequests, "invite_requests", pageData{Title: "Ask for an invitation",
			Errors: []string{"Too many requests from your address. Please wait " + strconv.Itoa(secs) + " seconds and try again."}, P: v})
		return nil
	}
	place, err := srv.site.RequestInvitation(r.Context(), v["email"])
	if err != nil {
		var ref *site.Refusal
		if errors.As(err, &ref) {
			srv.render(w, r, http.StatusForbidden, "invite_requests", pageData{Title: "Ask for an invitation", Errors: []string{sentence(srv.tr(r, ref.Message))}, P: v})
			return nil
		}
		return srv.invalid(w, r, err, "invite_requests", "Ask for an invitation", v)
	}
	v["place"] = strconv.Itoa(place)
	srv.render(w, r, http.StatusOK, "invite_requests", pageData{Title: "Ask for an invitation", P: v})
	return nil
}

// GET /verify_email?token= shows a button: following a link changes
// nothing, so a mail scanner that opens links verifies no one.
func (srv *Server) verifyEmailForm(w http.ResponseWriter, r *http.Request) error {
	srv.render(w, r, http.StatusOK, "verify_email", pageData{Title: "Verify your e-mail address", P: formValues{"token": r.URL.Query().Get("token")}})
	return nil
}

// POST /verify_email
func (srv *Server) verifyEmail(w http.ResponseWriter, r *http.Request) error {
	token := r.PostFormValue("token")
	if _, err := srv.site.VerifyEmail(r.Context(), token); err != nil {
		return srv.invalid(w, r, err, "verify_email", "Verify your e-mail address", formValues{"token": token})
	}
	srv.render(w, r, http.StatusOK, "verify_email", pageData{Title: "Verify your e-mail address", P: formValues{"done": "1"}})
	return nil
}

// POST /account/verification
func (srv *Server) resendVerification(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := srv.site.ResendVerification(r.Context(), u); err != nil {
		return srv.invalid(w, r, err, "account", "Account", formValues{"email": u.Email})
	}
	http.Redirect(w, r, "/account?sent=verification", http.StatusSeeOther)
	return nil
}

// reviewPage is a page of /admin/review.
type reviewPage struct {
	*site.ReviewPage
	LastPage int
}

// URL links to another page of the review queue.
func (p *reviewPage) URL(page int) string { return "/admin/review?page=" + strconv.Itoa(page) }

// GET /admin/review?page=
func (srv *Server) reviewQueue(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	page, err := site.PageParam("page", r.URL.Query().Get("page"))
	if err != nil {
		return err
	}
	rp, err := srv.site.ReviewQueue(r.Context(), u, page)
	if err != nil {
		return err
	}
	ws := &reviewPage{ReviewPage: rp, LastPage: (rp.Total + rp.PerPage - 1) / rp.PerPage}
	msg := ""
	switch {
	case r.URL.Query().Get("approved") != "":
		msg = "The work is approved and public."
	case r.URL.Query().Get("rejected") != "":
		msg = "The work is rejected: it stays hidden, and its creators are told why."
	}
	srv.render(w, r, http.StatusOK, "admin_review", pageData{Title: "Works awaiting review", Message: msg, P: ws})
	return nil
}

// POST /admin/review/{id}/approve (an optional note) and
// /admin/review/{id}/reject (a reason, which the creators are told).
func (srv *Server) reviewWork(approve bool) func(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	return func(w http.ResponseWriter, r *http.Request, u *archive.User) error {
		id, err := pathID(r, "id")
		if err == nil {
			err = r.ParseForm()
		}
		if err != nil {
			return err
		}
		done := "approved"
		if approve {
			err = srv.site.ApproveWork(r.Context(), u, id, r.PostForm.Get("note"))
		} else {
			err, done = srv.site.RejectWork(r.Context(), u, id, r.PostForm.Get("reason")), "rejected"
		}
		if err != nil {
			return err
		}
		http.Redirect(w, r, "/admin/review?"+done+"="+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	}
}
