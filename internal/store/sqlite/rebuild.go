package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
)

// Directive carries out a migration directive (see sqlstore.Directives).
// The one SQLite knows is "autoincrement TABLE …": each table's integer
// primary key becomes AUTOINCREMENT, so that the id of a deleted row (a
// work, a user, a comment) is never given to a new one and an old link or
// notice can never lead to somebody else's work.
func (engine) Directive(ctx context.Context, tx *sql.Tx, directive string) error {
	fields := strings.Fields(directive)
	if len(fields) == 0 || fields[0] != "autoincrement" {
		return fmt.Errorf("unknown directive %q", directive)
	}
	for _, table := range fields[1:] {
		if err := autoincrement(ctx, tx, table); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}

var integerKey = regexp.MustCompile(`(?i)\bid\s+INTEGER\s+PRIMARY\s+KEY\b(\s+AUTOINCREMENT\b)?`)

// autoincrement rebuilds table the way SQLite's documentation describes for
// schema changes ALTER TABLE cannot make: a copy with the new definition,
// the rows, the old table dropped (foreign keys are off, so nothing
// cascades), the copy renamed, and the table's indexes and triggers made
// again. The sequence starts at the largest id present.
func autoincrement(ctx context.Context, tx *sql.Tx, table string) error {
	var def string
	if err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&def); err != nil {
		return fmt.Errorf("read definition: %w", err)
	}
	m := integerKey.FindStringSubmatchIndex(def)
	if m == nil {
		return fmt.Errorf("no \"id INTEGER PRIMARY KEY\" column")
	}
	if m[2] >= 0 {
		return nil // already AUTOINCREMENT
	}
	open := strings.Index(def, "(")
	if open < 0 {
		return fmt.Errorf("unreadable definition")
	}
	tmp := table + "_rebuilt"
	newDef := `CREATE TABLE "` + tmp + `" ` + def[open:m[1]] + " AUTOINCREMENT" + def[m[1]:]
	var extras []string
	rows, err := tx.QueryContext(ctx, `SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name`, table)
	if err != nil {
		return err
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		extras = append(extras, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	steps := []string{
		newDef,
		`INSERT INTO "` + tmp + `" SELECT * FROM "` + table + `"`,
		`DROP TABLE "` + table + `"`,
		`ALTER TABLE "` + tmp + `" RENAME TO "` + table + `"`,
	}
	// With the legacy rename, renaming the copy does not check the other
	// tables' triggers, which name the table while it is gone.
	if _, err := tx.ExecContext(ctx, `PRAGMA legacy_alter_table = ON`); err != nil {
		return err
	}
	defer tx.ExecContext(ctx, `PRAGMA legacy_alter_table = OFF`)
	for _, s := range append(steps, extras...) {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%.60s…: %w", s, err)
		}
	}
	return nil
}
