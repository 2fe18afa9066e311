package efiction

import (
	"fmt"
	"strconv"
	"strings"
)

// A MySQL dump as mysqldump, phpMyAdmin and Sequel Pro write it, read
// without a MySQL server: only CREATE TABLE (for column names) and INSERT
// or REPLACE statements (for rows) matter; every other statement is
// skipped. The reader knows MySQL's string literals (single or double
// quoted, backslash escapes, doubled quotes), backtick identifiers,
// comments (--, #, /* */), multi-row INSERTs and optional column lists.

// Table is one table of a dump: its columns (from CREATE TABLE or an
// INSERT's column list) and its rows.
type Table struct {
	Name    string
	Columns []string
	Rows    []Row
}

// Row maps lower-case column names to values.
type Row map[string]Value

// Value is one SQL value: NULL, a string or a number, kept as text.
type Value struct {
	Null bool
	Text string
}

// Str is the value's text ("" for NULL).
func (r Row) Str(col string) string { return r[col].Text }

// Int is the value as an integer (0 for NULL or anything else).
func (r Row) Int(col string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(r[col].Text), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// Has reports whether the row has the column.
func (r Row) Has(col string) bool { _, ok := r[col]; return ok }

// Dump is every table of a dump, by lower-case name.
type Dump struct {
	Tables map[string]*Table
}

// SyntaxError is where a dump stops making sense.
type SyntaxError struct {
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

type tokKind int

const (
	tokEOF tokKind = iota
	tokWord
	tokIdent  // `quoted`
	tokString // 'text' or "text"
	tokNumber
	tokPunct
)

type token struct {
	kind tokKind
	text string
	line int
}

// lexer splits a dump into tokens; a statement ends at a ';' token.
type lexer struct {
	src  string
	pos  int
	line int
}

func (lx *lexer) errf(format string, args ...any) error {
	return &SyntaxError{Line: lx.line, Msg: fmt.Sprintf(format, args...)}
}

// next returns the next token, skipping blanks and comments.
func (lx *lexer) next() (token, error) {
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case c == '\n':
			lx.line++
			lx.pos++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			lx.pos++
		case c == '#' || c == '-' && strings.HasPrefix(lx.src[lx.pos:], "--") && (lx.pos+2 == len(lx.src) || isSpace(lx.src[lx.pos+2])):
			for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' {
				lx.pos++
			}
		case c == '/' && strings.HasPrefix(lx.src[lx.pos:], "/*"):
			end := strings.Index(lx.src[lx.pos+2:], "*/")
			if end < 0 {
				return token{}, lx.errf("a /* comment is never closed")
			}
			lx.line += strings.Count(lx.src[lx.pos:lx.pos+2+end], "\n")
			lx.pos += end + 4
		default:
			return lx.token()
		}
	}
	return token{kind: tokEOF, line: lx.line}, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c == '@' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func (lx *lexer) token() (token, error) {
	start, line := lx.pos, lx.line
	c := lx.src[lx.pos]
	switch {
	case c == '\'' || c == '"':
		s, err := lx.quoted(c)
		return token{kind: tokString, text: s, line: line}, err
	case c == '`':
		end := strings.IndexByte(lx.src[lx.pos+1:], '`')
		if end < 0 {
			return token{}, lx.errf("a `name` is never closed")
		}
		lx.pos += end + 2
		return token{kind: tokIdent, text: lx.src[start+1 : lx.pos-1], line: line}, nil
	case c >= '0' && c <= '9' || (c == '-' || c == '+' || c == '.') && lx.pos+1 < len(lx.src) && (lx.src[lx.pos+1] >= '0' && lx.src[lx.pos+1] <= '9' || lx.src[lx.pos+1] == '.'):
		lx.pos++
		for lx.pos < len(lx.src) {
			d := lx.src[lx.pos]
			if d >= '0' && d <= '9' || d == '.' || d == 'e' || d == 'E' || d == 'x' || d == 'X' || d >= 'a' && d <= 'f' || d >= 'A' && d <= 'F' ||
				(d == '-' || d == '+') && (lx.src[lx.pos-1] == 'e' || lx.src[lx.pos-1] == 'E') {
				lx.pos++
				continue
			}
			break
		}
		return token{kind: tokNumber, text: lx.src[start:lx.pos], line: line}, nil
	case isWordByte(c):
		for lx.pos < len(lx.src) && isWordByte(lx.src[lx.pos]) {
			lx.pos++
		}
		// A charset introducer or a hex/bit literal: _utf8'…', X'…', b'…'.
		if lx.pos < len(lx.src) && lx.src[lx.pos] == '\'' {
			word := strings.ToLower(lx.src[start:lx.pos])
			s, err := lx.quoted('\'')
			if err != nil {
				return token{}, err
			}
			switch {
			case word == "x":
				return token{kind: tokString, text: unhex(s), line: line}, nil
			case strings.HasPrefix(word, "_"):
				return token{kind: tokString, text: s, line: line}, nil
			}
			return token{kind: tokString, text: s, line: line}, nil
		}
		return token{kind: tokWord, text: lx.src[start:lx.pos], line: line}, nil
	}
	lx.pos++
	return token{kind: tokPunct, text: string(c), line: line}, nil
}

func unhex(s string) string {
	var b strings.Builder
	for i := 0; i+1 < len(s); i += 2 {
		n, err := strconv.ParseUint(s[i:i+2], 16, 8)
		if err != nil {
			return s
		}
		b.WriteByte(byte(n))
	}
	return b.String()
}

// quoted reads a string literal opened by q at lx.pos, with MySQL's
// escapes: \0 \b \n \r \t \Z, \\ \' \", \% and \_ (kept with their
// backslash, as MySQL does), any other \c is c; a doubled quote is one.
func (lx *lexer) quoted(q byte) (string, error) {
	line := lx.line
	lx.pos++ // the opening quote
	var b strings.Builder
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case c == '\\':
			if lx.pos+1 >= len(lx.src) {
				return "", &SyntaxError{Line: line, Msg: "a string ends in a lone backslash"}
			}
			e := lx.src[lx.pos+1]
			switch e {
			case '0':
				b.WriteByte(0)
			case 'b':
				b.WriteByte('\b')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'Z':
				b.WriteByte(0x1a)
			case '%', '_':
				b.WriteByte('\\')
				b.WriteByte(e)
			default:
				if e == '\n' {
					lx.line++
				}
				b.WriteByte(e)
			}
			lx.pos += 2
		case c == q:
			if lx.pos+1 < len(lx.src) && lx.src[lx.pos+1] == q {
				b.WriteByte(q)
				lx.pos += 2
				continue
			}
			lx.pos++
			return b.String(), nil
		default:
			if c == '\n' {
				lx.line++
			}
			b.WriteByte(c)
			lx.pos++
		}
	}
	return "", &SyntaxError{Line: line, Msg: "a string is never closed"}
}

// ParseDump reads a whole dump (already UTF-8). A statement it does not
// understand is skipped; a broken literal, a row whose length does not
// match its columns, or an INSERT into a table with no known columns is
// an error.
func ParseDump(src string) (*Dump, error) {
	d := &Dump{Tables: map[string]*Table{}}
	lx := &lexer{src: src, line: 1}
	for {
		stmt, err := readStatement(lx)
		if err != nil {
			return nil, err
		}
		if stmt == nil {
			return d, nil
		}
		if len(stmt) == 0 {
			continue
		}
		if err := d.statement(stmt); err != nil {
			return nil, err
		}
	}
}

// readStatement returns the tokens up to the next ';' (nil at the end).
func readStatement(lx *lexer) ([]token, error) {
	var out []token
	for {
		t, err := lx.next()
		if err != nil {
			return nil, err
		}
		switch {
		case t.kind == tokEOF:
			if len(out) == 0 {
				return nil, nil
			}
			return out, nil
		case t.kind == tokPunct && t.text == ";":
			if out == nil {
				out = []token{}
			}
			return out, nil
		}
		out = append(out, t)
	}
}

func isWord(t token, words ...string) bool {
	if t.kind != tokWord {
		return false
	}
	for _, w := range words {
		if strings.EqualFold(t.text, w) {
			return true
		}
	}
	return false
}

func isPunct(t token, p string) bool { return t.kind == tokPunct && t.text == p }

// name reads a table name at toks[i] (db.table and `db`.`table` give the
// table); it returns the name and the index after it.
func name(toks []token, i int) (string, int, bool) {
	if i >= len(toks) || toks[i].kind != tokIdent && toks[i].kind != tokWord {
		return "", i, false
	}
	n := toks[i].text
	i++
	for i+1 < len(toks) && (isPunct(toks[i], ".") || toks[i].kind == tokWord && toks[i].text == ".") && (toks[i+1].kind == tokIdent || toks[i+1].kind == tokWord) {
		n = toks[i+1].text
		i += 2
	}
	if toks[i-1].kind == tokWord && strings.Contains(n, ".") {
		n = n[strings.LastIndexByte(n, '.')+1:]
	}
	return strings.ToLower(n), i, true
}

func (d *Dump) statement(toks []token) error {
	switch {
	case isWord(toks[0], "CREATE"):
		return d.createTable(toks)
	case isWord(toks[0], "INSERT", "REPLACE"):
		return d.insert(toks)
	}
	return nil
}

// keyWords start a CREATE TABLE definition that is not a column.
var keyWords = []string{"PRIMARY", "KEY", "UNIQUE", "INDEX", "CONSTRAINT", "FULLTEXT", "FOREIGN", "CHECK", "SPATIAL"}

func (d *Dump) createTable(toks []token) error {
	i := 1
	for i < len(toks) && isWord(toks[i], "TEMPORARY") {
		i++
	}
	if i >= len(toks) || !isWord(toks[i], "TABLE") {
		return nil // CREATE DATABASE, VIEW, …
	}
	i++
	if i+2 < len(toks) && isWord(toks[i], "IF") && isWord(toks[i+1], "NOT") && isWord(toks[i+2], "EXISTS") {
		i += 3
	}
	tname, i, ok := name(toks, i)
	if !ok || i >= len(toks) || !isPunct(toks[i], "(") {
		return nil // CREATE TABLE … LIKE …, or AS SELECT
	}
	i++
	var cols []string
	depth := 0
	start := true
	for ; i < len(toks); i++ {
		t := toks[i]
		if start {
			start = false
			if (t.kind == tokIdent || t.kind == tokWord) && !isWord(t, keyWords...) {
				cols = append(cols, strings.ToLower(t.text))
			}
		}
		switch {
		case isPunct(t, "("):
			depth++
		case isPunct(t, ")"):
			if depth == 0 {
				t := &Table{Name: tname, Columns: cols}
				if old := d.Tables[tname]; old != nil && len(old.Rows) > 0 {
					t.Rows = old.Rows
				}
				d.Tables[tname] = t
				return nil
			}
			depth--
		case isPunct(t, ",") && depth == 0:
			start = true
		}
	}
	return &SyntaxError{Line: toks[0].line, Msg: fmt.Sprintf("CREATE TABLE %s is never closed", tname)}
}

func (d *Dump) insert(toks []token) error {
	i := 1
	for i < len(toks) && isWord(toks[i], "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "INTO") {
		i++
	}
	tname, i, ok := name(toks, i)
	if !ok {
		return &SyntaxError{Line: toks[0].line, Msg: "INSERT names no table"}
	}
	fail := func(t token, format string, args ...any) error {
		return &SyntaxError{Line: t.line, Msg: fmt.Sprintf("INSERT INTO %s: ", tname) + fmt.Sprintf(format, args...)}
	}
	tb := d.Tables[tname]
	var cols []string
	if i < len(toks) && isPunct(toks[i], "(") {
		i++
		for i < len(toks) && !isPunct(toks[i], ")") {
			t := toks[i]
			if t.kind == tokIdent || t.kind == tokWord {
				cols = append(cols, strings.ToLower(t.text))
			} else if !isPunct(t, ",") {
				return fail(t, "unexpected %q in the column list", t.text)
			}
			i++
		}
		i++
	}
	if i >= len(toks) || !isWord(toks[i], "VALUES", "VALUE") {
		if i < len(toks) && isWord(toks[i], "SELECT", "SET") {
			return fail(toks[i], "only INSERT … VALUES is understood")
		}
		return fail(toks[min(i, len(toks)-1)], "expected VALUES")
	}
	i++
	if cols == nil {
		if tb == nil || len(tb.Columns) == 0 {
			return fail(toks[0], "the dump has no CREATE TABLE for it and the INSERT names no columns")
		}
		cols = tb.Columns
	}
	if tb == nil {
		tb = &Table{Name: tname, Columns: cols}
		d.Tables[tname] = tb
	}
	for i < len(toks) {
		if !isPunct(toks[i], "(") {
			return fail(toks[i], "expected ( to open a row, found %q", toks[i].text)
		}
		i++
		row := Row{}
		n := 0
		for {
			if i >= len(toks) {
				return fail(toks[len(toks)-1], "a row is never closed")
			}
			v, next, err := value(toks, i)
			if err != nil {
				return fail(toks[i], "%v", err)
			}
			if n < len(cols) {
				row[cols[n]] = v
			}
			n++
			i = next
			if i >= len(toks) {
				return fail(toks[len(toks)-1], "a row is never closed")
			}
			if isPunct(toks[i], ",") {
				i++
				continue
			}
			if isPunct(toks[i], ")") {
				i++
				break
			}
			return fail(toks[i], "expected , or ) in a row, found %q", toks[i].text)
		}
		if n != len(cols) {
			return fail(toks[i-1], "a row has %d values for %d columns", n, len(cols))
		}
		tb.Rows = append(tb.Rows, row)
		if i < len(toks) && isPunct(toks[i], ",") {
			i++
			continue
		}
		if i < len(toks) && isWord(toks[i], "ON") {
			return nil // ON DUPLICATE KEY UPDATE …
		}
		if i < len(toks) {
			return fail(toks[i], "unexpected %q after a row", toks[i].text)
		}
	}
	return nil
}

// value reads one value at toks[i].
func value(toks []token, i int) (Value, int, error) {
	t := toks[i]
	switch t.kind {
	case tokString:
		return Value{Text: t.text}, i + 1, nil
	case tokNumber:
		return Value{Text: strings.TrimPrefix(t.text, "+")}, i + 1, nil
	case tokWord:
		switch strings.ToUpper(t.text) {
		case "NULL":
			return Value{Null: true}, i + 1, nil
		case "TRUE":
			return Value{Text: "1"}, i + 1, nil
		case "FALSE":
			return Value{Text: "0"}, i + 1, nil
		case "CURRENT_TIMESTAMP", "NOW":
			if i+2 < len(toks) && isPunct(toks[i+1], "(") && isPunct(toks[i+2], ")") {
				i += 2
			}
			return Value{Text: ""}, i + 1, nil
		}
	case tokPunct:
		if t.text == "-" && i+1 < len(toks) && toks[i+1].kind == tokNumber {
			return Value{Text: "-" + toks[i+1].text}, i + 2, nil
		}
	}
	return Value{}, i, fmt.Errorf("%q is not a value this reader understands", t.text)
}

// withRows is a copy of the dump in which table name holds rows.
func (d *Dump) withRows(name string, rows []Row) *Dump {
	out := &Dump{Tables: make(map[string]*Table, len(d.Tables))}
	for k, v := range d.Tables {
		out.Tables[k] = v
	}
	t := *d.Tables[name]
	t.Rows = rows
	out.Tables[name] = &t
	return out
}
