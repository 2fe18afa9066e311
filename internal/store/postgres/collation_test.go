package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"

	"quire/internal/archive"
	"quire/internal/store/postgres"
	"quire/internal/store/testdb"
)

// On a database whose own collation is a language's (ICU English here, as
// many operators' servers default to en_US), names still sort by their
// bytes, as on SQLite: "a1" before "a_1" (English puts punctuation first).
func TestNamesSortAsOnSQLiteWhateverTheDatabaseCollation(t *testing.T) {
	base := testdb.PostgresURL()
	if base == "" {
		t.Skip("QUIRE_TEST_POSTGRES is not set")
	}
	ctx := context.Background()
	admin, err := postgres.OpenDB(base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var b [6]byte
	rand.Read(b[:])
	name := "quire_icu_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`); err != nil {
		t.Skipf("this server cannot make an ICU database: %v", err)
	}
	t.Cleanup(func() { admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	st, err := postgres.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var order string
	if err := st.DB().QueryRowContext(ctx, `SELECT string_agg(k, ' ' ORDER BY k) FROM (VALUES ('a_1'), ('a1')) v(k)`).Scan(&order); err != nil || order != "a_1 a1" {
		t.Skipf("the database's collation sorts like bytes (%q, %v): nothing to show", order, err)
	}
	for _, n := range []string{"a_1", "a1", "a_2"} {
		if err := st.CreateUser(ctx, &archive.User{Name: n, Email: n + "@example.test", PasswordHash: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	users, _, err := st.SearchUsers(ctx, "a", false, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range users {
		got = append(got, u.Name)
	}
	if want := "a1 a_1 a_2"; strings.Join(got, " ") != want {
		t.Fatalf("accounts listed as %q, want %q (byte order, as on SQLite)", strings.Join(got, " "), want)
	}
}
