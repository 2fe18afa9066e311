package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"quire/internal/archive"
	"quire/internal/site"
)

// formValues is a form's typed values, for re-rendering after an error.
type formValues map[string]string

func (srv *Server) signupForm(w http.ResponseWriter, r *http.Request) error {
	v, err := srv.signupValues(r, r.URL.Query().Get("invitation"))
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "signup", pageData{Title: "Sign up", P: v})
	return nil
}

func (srv *Server) signup(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "signup", "Sign up", formValues{})
	}
	if honeypot(r) {
		srv.site.NoteStopped(site.DefenceHoneypot)
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	v, err := srv.signupValues(r, r.PostForm.Get("invitation"))
	if err != nil {
		return err
	}
	v["name"], v["email"] = r.PostForm.Get("name"), r.PostForm.Get("email")
	u, err := srv.site.Signup(r.Context(), site.SignupInput{Name: v["name"], Email: v["email"],
		Password: r.PostForm.Get("password"), Confirmation: r.PostForm.Get("password_confirmation"), Invitation: r.PostForm.Get("invitation")})
	if err != nil {
		return srv.signupRefused(w, r, err, v)
	}
	if err := srv.startSession(w, r, u); err != nil {
		return err
	}
	if unverified, err := srv.site.EmailUnverified(r.Context(), u); err == nil && unverified {
		http.Redirect(w, r, "/account?sent=welcome", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/users/"+u.Name, http.StatusSeeOther)
	return nil
}

func (srv *Server) startSession(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	token, err := srv.site.StartSession(r.Context(), u)
	if err != nil {
		return err
	}
	srv.setSession(w, token)
	return nil
}

func (srv *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	srv.render(w, r, http.StatusOK, "login", pageData{Title: "Log in", P: formValues{"return_to": localPath(r.URL.Query().Get("return_to"), "/")}})
	return nil
}

func (srv *Server) login(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "login", "Log in", formValues{})
	}
	v := formValues{"login": r.PostForm.Get("login"), "return_to": localPath(r.PostForm.Get("return_to"), "/")}
	ip := srv.opt.ClientIP(r)
	account := "account:" + strings.ToLower(strings.TrimSpace(v["login"]))
	if over, wait := srv.loginByIP.Exceeded("ip:" + ip); over {
		srv.tooManyLogins(w, r, v, wait.Seconds())
		return nil
	}
	if over, wait := srv.loginByID.Exceeded(account); over {
		srv.tooManyLogins(w, r, v, wait.Seconds())
		return nil
	}
	u, err := srv.site.Authenticate(r.Context(), v["login"], r.PostForm.Get("password"))
	if errors.Is(err, site.ErrBadLogin) {
		srv.loginByIP.Allow("ip:" + ip)
		srv.loginByID.Allow(account)
		srv.render(w, r, http.StatusUnauthorized, "login", pageData{Title: "Log in", Errors: []string{"The user name or password is wrong."}, P: v})
		return nil
	}
	var banned *archive.BannedError
	if errors.As(err, &banned) {
		srv.render(w, r, http.StatusForbidden, "login", pageData{Title: "Log in", Errors: []string{"Sorry: " + banned.Error() + "."}, P: v})
		return nil
	}
	if err != nil {
		return err
	}
	if err := srv.startSession(w, r, u); err != nil {
		return err
	}
	http.Redirect(w, r, v["return_to"], http.StatusSeeOther)
	return nil
}

func (srv *Server) tooManyLogins(w http.ResponseWriter, r *http.Request, v formValues, wait float64) {
	secs := int(wait) + 1
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	srv.render(w, r, http.StatusTooManyRequests, "login", pageData{Title: "Log in",
		Errors: []string{"Too many failed attempts to log in. Please wait " + strconv.Itoa(secs) + " seconds and try again."}, P: v})
}

func (srv *Server) logoutForm(w http.ResponseWriter, r *http.Request) error {
	srv.render(w, r, http.StatusOK, "logout", pageData{Title: "Log out"})
	return nil
}

func (srv *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := srv.site.EndSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	srv.clearSession(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

func (srv *Server) passwordResetForm(w http.ResponseWriter, r *http.Request) error {
	srv.render(w, r, http.StatusOK, "password_reset", pageData{Title: "Reset password", P: formValues{"token": r.URL.Query().Get("token")}})
	return nil
}

func (srv *Server) passwordReset(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "password_reset", "Reset password", formValues{})
	}
	token := r.PostForm.Get("token")
	if token == "" {
		login := strings.TrimSpace(r.PostForm.Get("login"))
		if login == "" {
			return srv.invalid(w, r, archive.Invalid("email", "can't be blank"), "password_reset", "Reset password", formValues{})
		}
		if over, _ := srv.loginByIP.Exceeded("reset:" + srv.opt.ClientIP(r)); !over {
			srv.loginByIP.Allow("reset:" + srv.opt.ClientIP(r))
			if err := srv.site.RequestPasswordReset(r.Context(), login); err != nil {
				return err
			}
		}
		srv.render(w, r, http.StatusOK, "password_reset", pageData{Title: "Reset password",
			Message: msg("If an account has that e-mail address or name, we've sent it a link to reset the password. The link works once and expires in 2 hours."), P: formValues{}})
		return nil
	}
	u, err := srv.site.ResetPassword(r.Context(), token, r.PostForm.Get("password"), r.PostForm.Get("password_confirmation"))
	if err != nil {
		return srv.invalid(w, r, err, "password_reset", "Reset password", formValues{"token": token})
	}
	if err := srv.startSession(w, r, u); err != nil {
		return err
	}
	http.Redirect(w, r, "/account?changed=password", http.StatusSeeOther)
	return nil
}

func (srv *Server) accountForm(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	flash := ""
	switch r.URL.Query().Get("changed") {
	case "password":
		flash = msg("Your password has been changed.")
	case "email":
		flash = msg("Your e-mail address has been changed.")
	}
	v := formValues{"email": u.Email}
	if unverified, err := srv.site.EmailUnverified(r.Context(), u); err != nil {
		return err
	} else if unverified {
		v["unverified"] = "1"
	}
	switch r.URL.Query().Get("sent") {
	case "verification":
		flash = msg("We have sent you a new verification link.")
	case "welcome":
		flash = msg("Welcome! We have mailed you a link to verify your e-mail address; follow it to start posting.")
	}
	srv.render(w, r, http.StatusOK, "account", pageData{Title: "Account", Message: flash, P: v})
	return nil
}

func (srv *Server) changePassword(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "account", "Account", formValues{"email": u.Email})
	}
	keep := ""
	if c, err := r.Cookie(sessionCookie); err == nil {
		keep = c.Value
	}
	err := srv.site.ChangePassword(r.Context(), u, r.PostForm.Get("current_password"), r.PostForm.Get("password"), r.PostForm.Get("password_confirmation"), keep)
	if err != nil {
		return srv.invalid(w, r, err, "account", "Account", formValues{"email": u.Email})
	}
	http.Redirect(w, r, "/account?changed=password", http.StatusSeeOther)
	return nil
}

func (srv *Server) changeEmail(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "account", "Account", formValues{"email": u.Email})
	}
	if err := srv.site.ChangeEmail(r.Context(), u, r.PostForm.Get("password"), r.PostForm.Get("email")); err != nil {
		return srv.invalid(w, r, err, "account", "Account", formValues{"email": r.PostForm.Get("email")})
	}
	http.Redirect(w, r, "/account?changed=email", http.StatusSeeOther)
	return nil
}

func (srv *Server) deleteAccount(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "account", "Account", formValues{"email": u.Email})
	}
	orphan := r.PostForm.Get("works") != "delete"
	if err := srv.site.DeleteAccount(r.Context(), u, r.PostForm.Get("password"), orphan); err != nil {
		return srv.invalid(w, r, err, "account", "Account", formValues{"email": u.Email})
	}
	srv.clearSession(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
