# A latin1 dump (no table prefix), invented text.
CREATE TABLE authors (uid int(11) NOT NULL, penname varchar(200) NOT NULL, email varchar(200) NOT NULL, date datetime NOT NULL) DEFAULT CHARSET=latin1;
INSERT INTO authors VALUES (1,'Noémie','noemie@example.test','2003-03-03 03:03:03');
CREATE TABLE categories (catid int(11), parentcatid int(11), category varchar(60), description text);
INSERT INTO categories VALUES (1,-1,'Contes de la Forêt','');
CREATE TABLE stories (sid int, title varchar(200), summary text, storynotes text, catid varchar(100), classes varchar(200), charid varchar(250), rid varchar(25), date datetime, updated datetime, uid int, coauthors varchar(200), validated char(1), completed char(1), count int);
INSERT INTO stories VALUES (1,'L\'été à Noël','Un résumé — « court ».',NULL,'1','','','0','2003-04-04 04:04:04','2003-04-05 04:04:04',1,'0','1','1',42);
CREATE TABLE chapters (chapid int, title varchar(250), inorder int, notes text, storytext text, endnotes text, validated char(1), sid int, uid int);
INSERT INTO chapters VALUES (1,'Première',1,'','Il était une fois, près de la forêt… naïve façade.<br /><br />Fin.',NULL,'1',1,1);
