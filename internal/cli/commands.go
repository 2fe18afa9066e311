package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/demo"
	"quire/internal/listing"
	"quire/internal/site"
	"quire/internal/store"
)

func demoCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", stderr)
	var sf storeFlags
	sf.register(fs)
	works := fs.Int("works", 0, "number of works to generate (required)")
	seed := fs.Int64("seed", 1, "random seed: the same seed gives the same archive")
	bodyWords := fs.Int("body-words", 0, "median chapter length in words (0 = 1500); keep it small for large archives")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *works <= 0 {
		return fmt.Errorf("--works must be a positive number")
	}
	if *bodyWords < 0 {
		return fmt.Errorf("--body-words must be 0 or more")
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	if err := site.FillDemo(ctx, st, demo.Options{Works: *works, Seed: *seed, BodyWords: *bodyWords}, stderr); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "\n")
	fmt.Fprintf(stdout, "demo: wrote %d works in %.1fs\n", *works, time.Since(start).Seconds())
	return nil
}

// newSite wires a site over a store for the shell commands.
func newSite(st store.Store) *site.Site {
	return site.New(st, listing.New(nil), nil, nil, "")
}

func userCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "role" {
		return userRoleCmd(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("usage: quire user add NAME --email E [--admin] [--wrangler] [--password-file F]")
	}
	args = args[1:]
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	fs := newFlags("user add", stderr)
	var sf storeFlags
	sf.register(fs)
	email := fs.String("email", "", "e-mail address (required)")
	admin := fs.Bool("admin", false, "make the user an administrator")
	wrangler := fs.Bool("wrangler", false, "make the user a tag wrangler")
	pwFile := fs.String("password-file", "", "read the password from this file (first line); without it the user sets one by password reset")
	if err := parse(fs, args); err != nil {
		return err
	}
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
	}
	if name == "" {
		return fmt.Errorf("usage: quire user add NAME --email E [--admin] [--wrangler] [--password-file F]")
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	s := newSite(st)
	if *pwFile == "" {
		n, err := archive.CleanUserName(name)
		if err != nil {
			return err
		}
		e, err := archive.CleanEmail(*email)
		if err != nil {
			return err
		}
		u := &archive.User{Name: n, Email: e}
		if *admin {
			u.Roles = append(u.Roles, archive.RoleAdmin)
		}
		if *wrangler {
			u.Roles = append(u.Roles, archive.RoleWrangler)
		}
		if err := st.CreateUser(ctx, u); err != nil {
			if errors.Is(err, archive.ErrConflict) {
				return fmt.Errorf("user %q or e-mail %q already exists", n, e)
			}
			return err
		}
		fmt.Fprintf(stdout, "created user %s (no password yet: use the password reset page)\n", u.Name)
		return nil
	}
	b, err := os.ReadFile(*pwFile)
	if err != nil {
		return fmt.Errorf("read password file: %w", err)
	}
	pw := strings.TrimRight(strings.SplitN(string(b), "\n", 2)[0], "\r")
	u, err := s.Signup(ctx, site.SignupInput{Name: name, Email: *email, Password: pw, Confirmation: pw, Admin: *admin, Operator: true})
	if err != nil {
		return err
	}
	if *wrangler {
		// Signup knows only the admin role; the wrangler role is added after.
		if err := st.SetUserRoles(ctx, u.ID, append(u.Roles, archive.RoleWrangler)); err != nil {
			return fmt.Errorf("give %s the wrangler role: %w", u.Name, err)
		}
	}
	fmt.Fprintf(stdout, "created user %s\n", u.Name)
	return nil
}

func tokenCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("usage: quire token create NAME")
	}
	args = args[1:]
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	fs := newFlags("token create", stderr)
	var sf storeFlags
	sf.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
	}
	if name == "" {
		return fmt.Errorf("usage: quire token create NAME")
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByName(ctx, name)
	if err != nil {
		return fmt.Errorf("there is no user named %q", name)
	}
	token, err := newSite(st).CreateToken(ctx, u, "cli")
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, token)
	return nil
}
