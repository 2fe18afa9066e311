package archive

import (
	"net/mail"
	"regexp"
	"strings"

	"quire/internal/text"
)

var userNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_]*$`)

// CleanUserName checks an account name: letters, digits and underscores,
// starting with a letter or digit, up to MaxUserNameLength.
func CleanUserName(name string) (string, error) {
	n := strings.TrimSpace(text.ValidUTF8(name))
	if n == "" {
		return "", Invalid("name", "can't be blank")
	}
	if len(n) > MaxUserNameLength {
		return "", Invalid("name", "is %d characters long; the limit is %d", len(n), MaxUserNameLength)
	}
	if !userNameRe.MatchString(n) {
		return "", Invalid("name", "may contain only letters, digits and underscores, and must start with a letter or digit")
	}
	return n, nil
}

// CleanEmail checks an e-mail address.
func CleanEmail(email string) (string, error) {
	e := strings.TrimSpace(text.ValidUTF8(email))
	if e == "" {
		return "", Invalid("email", "can't be blank")
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || len(e) > 254 || !strings.Contains(e[strings.LastIndex(e, "@")+1:], ".") && !strings.HasSuffix(e, "@localhost") {
		return "", Invalid("email", "%q is not an e-mail address", e)
	}
	return e, nil
}
