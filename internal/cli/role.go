package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"quire/internal/archive"
)

const roleUsage = "usage: quire user role NAME --add ROLE | --remove ROLE [--reason TEXT] (roles: admin, moderator, wrangler)"

// userRoleCmd gives or takes a role, as the operator at the command line;
// the change goes in the audit log like one made on /admin/users/{name}.
func userRoleCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	fs := newFlags("user role", stderr)
	var sf storeFlags
	sf.register(fs)
	add := fs.String("add", "", "give the account this role")
	remove := fs.String("remove", "", "take this role from the account")
	reason := fs.String("reason", "", "why (kept in the audit log)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
	}
	if name == "" || (*add == "") == (*remove == "") || fs.NArg() > 1 {
		return errors.New(roleUsage)
	}
	role, give := *add, true
	if *remove != "" {
		role, give = *remove, false
	}
	if _, err := archive.CleanRole(role); err != nil {
		return err
	}
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	roles, err := newSite(st).ChangeRole(ctx, nil, name, role, give, *reason)
	if errors.Is(err, archive.ErrNotFound) {
		return fmt.Errorf("there is no user named %q", name)
	}
	if err != nil {
		return err
	}
	held := "no roles"
	if len(roles) > 0 {
		held = "roles: " + strings.Join(roles, ", ")
	}
	fmt.Fprintf(stdout, "%s now has %s\n", name, held)
	return nil
}
