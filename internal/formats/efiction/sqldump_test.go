package efiction

import (
	"strings"
	"testing"
)

func TestParseDump(t *testing.T) {
	d, err := ParseDump("/*!40101 SET NAMES utf8 */;\n# comment\n-- another\nCREATE TABLE `db`.`t` (\n `a` int(11) NOT NULL DEFAULT '0',\n b text, `c` varchar(10) DEFAULT 'x;y',\n PRIMARY KEY (`a`), KEY `k` (`b`(10),`c`)\n) ENGINE=MyISAM;\n" +
		"INSERT INTO `t` VALUES (1,'it\\'s \"q\" ''dq'' \\\\ \\n; -- not a comment',NULL),(-2,_utf8'x',0x4142);\n" +
		"INSERT IGNORE INTO t (c, a) VALUES ('only c', 3);\nREPLACE INTO `t` VALUE (4, \"dbl \\\"q\\\"\", TRUE);\n")
	if err != nil {
		t.Fatal(err)
	}
	tb := d.Tables["t"]
	if tb == nil || strings.Join(tb.Columns, ",") != "a,b,c" || len(tb.Rows) != 4 {
		t.Fatalf("table %+v", tb)
	}
	r := tb.Rows[0]
	if r.Int("a") != 1 || r.Str("b") != "it's \"q\" 'dq' \\ \n; -- not a comment" || !r["c"].Null {
		t.Errorf("row 0 %+v", r)
	}
	if tb.Rows[1].Int("a") != -2 || tb.Rows[1].Str("b") != "x" || tb.Rows[1].Str("c") != "0x4142" {
		t.Errorf("row 1 %+v", tb.Rows[1])
	}
	if tb.Rows[2].Str("c") != "only c" || tb.Rows[2].Int("a") != 3 || tb.Rows[2].Has("b") {
		t.Errorf("row 2 %+v", tb.Rows[2])
	}
	if tb.Rows[3].Str("b") != `dbl "q"` || tb.Rows[3].Str("c") != "1" {
		t.Errorf("row 3 %+v", tb.Rows[3])
	}
	for _, bad := range []string{
		"INSERT INTO nowhere VALUES (1);",
		"CREATE TABLE t (a int); INSERT INTO t VALUES (1,2);",
		"CREATE TABLE t (a int); INSERT INTO t VALUES ('open);",
		"CREATE TABLE t (a int); INSERT INTO t VALUES (1) (2);",
		"/* never closed",
	} {
		if _, err := ParseDump(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// FuzzParseDump: any input parses or fails with an error, never panics,
// and every row has a value for each of its table's columns.
func FuzzParseDump(f *testing.F) {
	f.Add("CREATE TABLE t (a int, b text); INSERT INTO t VALUES (1,'x\\'y'),(2,NULL);")
	f.Add("INSERT INTO `p_t` (`a`) VALUES ('a''b'), (-3);")
	f.Add("/*!40101 SET NAMES latin1 */; -- x\n# y\nCREATE TABLE IF NOT EXISTS `x`.`y` (`z` int DEFAULT '1', KEY (`z`));")
	f.Fuzz(func(t *testing.T, src string) {
		d, err := ParseDump(src)
		if err != nil {
			return
		}
		for _, tb := range d.Tables {
			for _, r := range tb.Rows {
				for _, c := range tb.Columns {
					if !r.Has(c) {
						t.Fatalf("table %s: a row lacks column %s", tb.Name, c)
					}
				}
			}
		}
	})
}
