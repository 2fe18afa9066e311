-- An invented eFiction 3.5 archive for Quire's importer tests.
-- Every name and sentence here is made up.
/*!40101 SET NAMES utf8 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;

DROP TABLE IF EXISTS `fanfiction_authors`;
CREATE TABLE `fanfiction_authors` (
  `uid` int(11) NOT NULL AUTO_INCREMENT,
  `penname` varchar(200) NOT NULL DEFAULT '',
  `realname` varchar(200) NOT NULL DEFAULT '',
  `email` varchar(200) NOT NULL DEFAULT '',
  `website` varchar(200) NOT NULL DEFAULT '',
  `bio` text,
  `date` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `password` varchar(40) NOT NULL DEFAULT '0',
  PRIMARY KEY (`uid`),
  KEY `penname` (`penname`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;

INSERT INTO `fanfiction_authors` (`uid`, `penname`, `realname`, `email`, `website`, `bio`, `date`, `password`) VALUES
(1,'Wren Hollis','','wren@example.test','','A bio; with a semicolon.','2004-05-06 07:08:09','5f4dcc3b5aa765d61d8327deb882cf99'),
(2,'Tomás Quill','','not an address','','','2005-01-02 03:04:05','x'),
(3,'ivy_moss','','ivy@example.test','','','0000-00-00 00:00:00','x');

CREATE TABLE `fanfiction_categories` (
  `catid` int(11) NOT NULL AUTO_INCREMENT,
  `parentcatid` int(11) NOT NULL DEFAULT '-1',
  `category` varchar(60) NOT NULL DEFAULT '',
  `description` text NOT NULL,
  PRIMARY KEY (`catid`)
);
INSERT INTO `fanfiction_categories` VALUES (1,-1,'Lantern Tales',''),(2,1,'Lantern Tales: The Harbor Years',''),(3,-1,'Clockwork Orchard, Revised','');

CREATE TABLE `fanfiction_characters` (
  `charid` int(11) NOT NULL AUTO_INCREMENT,
  `catid` int(11) NOT NULL DEFAULT '0',
  `charname` varchar(60) NOT NULL DEFAULT '',
  `bio` text NOT NULL,
  PRIMARY KEY (`charid`)
);
INSERT INTO `fanfiction_characters` (`charid`,`catid`,`charname`,`bio`) VALUES (1,1,'Mara Vell',''),(2,1,'The Keeper O\'Dell',''),(3,-1,'Old Pell','');

CREATE TABLE `fanfiction_ratings` (`rid` int(11) NOT NULL, `rating` varchar(60) NOT NULL DEFAULT '', `ratingwarning` char(1) NOT NULL DEFAULT '0', `warningtext` text NOT NULL, PRIMARY KEY (`rid`));
INSERT INTO `fanfiction_ratings` VALUES (1,'G','0',''),(2,'PG-13','0',''),(3,'NC-17','1','Adults only.'),(4,'Sparrow','0','');

CREATE TABLE `fanfiction_classtypes` (`classtype_id` int(11) NOT NULL, `classtype_name` varchar(50) NOT NULL DEFAULT '', `classtype_title` varchar(50) NOT NULL DEFAULT '', PRIMARY KEY (`classtype_id`));
INSERT INTO `fanfiction_classtypes` VALUES (1,'genres','Genres'),(2,'warnings','Warnings');
CREATE TABLE `fanfiction_classes` (`class_id` int(11) NOT NULL, `class_type` int(11) NOT NULL DEFAULT '0', `class_name` varchar(100) NOT NULL DEFAULT '', PRIMARY KEY (`class_id`));
INSERT INTO `fanfiction_classes` VALUES (1,1,'Adventure'),(2,1,'Hurt/Comfort'),(3,2,'Major Character Death'),(4,2,'Mild Peril');

CREATE TABLE `fanfiction_stories` (
  `sid` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(200) NOT NULL DEFAULT '',
  `summary` text,
  `storynotes` text,
  `catid` varchar(100) NOT NULL DEFAULT '0',
  `classes` varchar(200) DEFAULT NULL,
  `charid` varchar(250) NOT NULL DEFAULT '0',
  `rid` varchar(25) NOT NULL DEFAULT '0',
  `date` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `updated` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `uid` int(11) NOT NULL DEFAULT '0',
  `coauthors` varchar(200) DEFAULT NULL,
  `featured` char(1) NOT NULL DEFAULT '0',
  `validated` char(1) NOT NULL DEFAULT '0',
  `completed` char(1) NOT NULL DEFAULT '0',
  `rr` char(1) NOT NULL DEFAULT '0',
  `wordcount` int(11) NOT NULL DEFAULT '0',
  `rating` tinyint(4) NOT NULL DEFAULT '0',
  `reviews` smallint(6) NOT NULL DEFAULT '0',
  `count` int(11) NOT NULL DEFAULT '0',
  `challenges` varchar(200) NOT NULL DEFAULT '0',
  PRIMARY KEY (`sid`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;

INSERT INTO `fanfiction_stories` (`sid`, `title`, `summary`, `storynotes`, `catid`, `classes`, `charid`, `rid`, `date`, `updated`, `uid`, `coauthors`, `featured`, `validated`, `completed`, `rr`, `wordcount`, `rating`, `reviews`, `count`, `challenges`) VALUES
(10,'The Harbor &amp; the Lamp','Mara keeps the light.<br />Nobody asks why.','Written for a friend; thanks to \"the crew\".','2','1,3','1,2','2','2006-02-09 22:21:35','2006-03-01 10:00:00',1,'1','0','1','1','0',40,0,2,120,'0'),
(11,'Orchard Notes','Short pieces about gears and apples.',NULL,'3','2,4','3','4','2007-07-07 07:07:07','2007-07-08 08:08:08',2,'0','0','1','0','0',20,0,0,7,'0'),
(12,'Waiting Room','Not yet validated.','','1','','','1','2008-01-01 00:00:00','2008-01-01 00:00:00',3,'0','0','0','0','0',5,0,0,0,'0');

CREATE TABLE `fanfiction_coauthors` (`sid` int(11) NOT NULL DEFAULT '0', `uid` int(11) NOT NULL DEFAULT '0', PRIMARY KEY (`sid`,`uid`));
INSERT INTO `fanfiction_coauthors` VALUES (10,3);

CREATE TABLE `fanfiction_chapters` (
  `chapid` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(250) NOT NULL DEFAULT '',
  `inorder` int(11) NOT NULL DEFAULT '0',
  `notes` text NOT NULL,
  `storytext` text,
  `endnotes` text,
  `validated` char(1) NOT NULL DEFAULT '0',
  `wordcount` int(11) NOT NULL DEFAULT '0',
  `rating` tinyint(4) NOT NULL DEFAULT '0',
  `reviews` smallint(6) NOT NULL DEFAULT '0',
  `sid` int(11) NOT NULL DEFAULT '0',
  `uid` int(11) NOT NULL DEFAULT '0',
  `count` int(11) NOT NULL DEFAULT '0',
  PRIMARY KEY (`chapid`)
);
INSERT INTO `fanfiction_chapters` (`chapid`, `title`, `inorder`, `notes`, `storytext`, `endnotes`, `validated`, `wordcount`, `rating`, `reviews`, `sid`, `uid`, `count`) VALUES
(101,'The Second Night',2,'','The lamp flickered.<br /><br />She climbed the stairs; the wind \\ howled.<br />Twice.',NULL,'1',10,0,0,10,1,5),
(100,'First Light',1,'Chapter notes here.','The harbor was quiet.<br />\r\n<br />\r\nMara lit the lamp at dusk, as always.<script>alert(1)</script>','End notes: more soon.','1',12,0,1,10,1,9),
(110,'Gears',1,'','Tick, tock — the orchard hums. Café au lait.',NULL,'1',8,0,0,11,2,3),
(120,'Draft',1,'','Someone is waiting.',NULL,'0',3,0,0,12,3,0);

CREATE TABLE `fanfiction_series` (`seriesid` int(11) NOT NULL, `title` varchar(200) NOT NULL DEFAULT '', `summary` text, `uid` int(11) NOT NULL DEFAULT '0', `isopen` tinyint(4) NOT NULL DEFAULT '0', PRIMARY KEY (`seriesid`));
INSERT INTO `fanfiction_series` VALUES (5,'Lights Along the Coast','Two stories.',1,0);
CREATE TABLE `fanfiction_inseries` (`seriesid` int(11) NOT NULL DEFAULT '0', `sid` int(11) NOT NULL DEFAULT '0', `subseriesid` int(11) NOT NULL DEFAULT '0', `confirmed` int(11) NOT NULL DEFAULT '0', `inorder` int(11) NOT NULL DEFAULT '0');
INSERT INTO `fanfiction_inseries` VALUES (5,11,0,1,2),(5,10,0,1,1),(5,0,7,1,3);

CREATE TABLE `fanfiction_reviews` (
  `reviewid` int(11) NOT NULL AUTO_INCREMENT,
  `item` int(11) NOT NULL DEFAULT '0',
  `chapid` int(11) NOT NULL DEFAULT '0',
  `reviewer` varchar(60) NOT NULL DEFAULT '0',
  `uid` int(11) NOT NULL DEFAULT '0',
  `review` text NOT NULL,
  `date` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `rating` int(11) NOT NULL DEFAULT '0',
  `respond` char(1) NOT NULL DEFAULT '0',
  `type` varchar(2) NOT NULL DEFAULT 'ST',
  PRIMARY KEY (`reviewid`)
);
INSERT INTO `fanfiction_reviews` VALUES (1,10,101,'Ivy',3,'Lovely second night!','2006-03-02 12:00:00',0,'0','ST'),
(2,10,0,'A Passing Reader',0,'So calm.<br><br><i>Author\'s Response: Thank you!</i>','2006-03-03 12:00:00',0,'1','ST'),
(3,5,0,'Someone',0,'A series review.','2006-03-04 12:00:00',0,'0','SE'),
(4,11,110,'Blank',0,'','2007-08-01 00:00:00',5,'0','ST');
