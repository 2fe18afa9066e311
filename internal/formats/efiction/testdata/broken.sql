-- Invented. Story 2 names an author the dump does not have: the whole
-- file must change nothing, though story 1 is fine.
CREATE TABLE `fanfiction_authors` (`uid` int, `penname` varchar(200), `email` varchar(200), `date` datetime);
INSERT INTO `fanfiction_authors` VALUES (1,'Solo Writer','solo@example.test','2010-01-01 00:00:00');
CREATE TABLE `fanfiction_stories` (`sid` int, `title` varchar(200), `summary` text, `catid` varchar(100), `rid` varchar(25), `date` datetime, `uid` int, `validated` char(1), `completed` char(1));
INSERT INTO `fanfiction_stories` VALUES (1,'Fine Story','Fine.','0','0','2010-02-02 00:00:00',1,'1','1'),(2,'Orphan Story','Lost.','0','0','2010-02-03 00:00:00',99,'1','1');
CREATE TABLE `fanfiction_chapters` (`chapid` int, `title` varchar(250), `inorder` int, `storytext` text, `sid` int, `uid` int);
INSERT INTO `fanfiction_chapters` VALUES (1,'One',1,'Some text.',1,1),(2,'One',1,'Other text.',2,99);
