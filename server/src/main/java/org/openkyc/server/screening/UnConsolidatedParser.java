package org.openkyc.server.screening;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The United Nations Security Council consolidated list XML
 * ({@code UN_consolidated.xml} or {@code consolidated.xml}): individuals with
 * their aliases, names in original script, dates of birth and nationalities,
 * and entities with their aliases. External entities are never resolved.
 */
public final class UnConsolidatedParser implements ListParser {

    public static final String SOURCE = "UN Consolidated";
    static final List<String> NAMES = List.of("UN_consolidated.xml", "consolidated.xml");

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public List<Path> files(Path dir) {
        return ListParser.firstPresent(dir, NAMES);
    }

    @Override
    public SanctionsList parse(Path dir, Instant loadedAt) throws ListFormatException {
        List<Path> files = files(dir);
        Path file = ListParser.requireSingle(files, NAMES);
        String fname = file.getFileName().toString();
        byte[] bytes = ListParser.read(file);
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            doc = b.parse(new ByteArrayInputStream(bytes));
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ListFormatException(fname + ": not well-formed XML (" + truncate(why) + ")", e);
        }
        Element root = doc.getDocumentElement();
        if (!"CONSOLIDATED_LIST".equals(root.getTagName())) {
            throw new ListFormatException(fname + ": the root element is " + truncate(root.getTagName())
                    + ", not CONSOLIDATED_LIST");
        }
        List<ListEntry> entries = new ArrayList<>();
        NodeList people = root.getElementsByTagName("INDIVIDUAL");
        for (int i = 0; i < people.getLength(); i++) {
            entries.add(entry((Element) people.item(i), EntityKind.PERSON, "INDIVIDUAL_ALIAS", fname, i + 1));
        }
        NodeList orgs = root.getElementsByTagName("ENTITY");
        for (int i = 0; i < orgs.getLength(); i++) {
            entries.add(entry((Element) orgs.item(i), EntityKind.ORGANISATION, "ENTITY_ALIAS", fname, i + 1));
        }
        if (entries.isEmpty()) {
            throw new ListFormatException(fname + ": no INDIVIDUAL or ENTITY records");
        }
        return new SanctionsList(new ListVersion(SOURCE, ListParser.sha256(files, List.of(bytes)), loadedAt,
                entries.size()), entries);
    }

    private static ListEntry entry(Element e, EntityKind kind, String aliasTag, String file, int n)
            throws ListFormatException {
        String where = file + ": " + (kind == EntityKind.PERSON ? "INDIVIDUAL" : "ENTITY") + " #" + n;
        String id = text(e, "REFERENCE_NUMBER");
        if (id.isEmpty()) {
            id = text(e, "DATAID");
        }
        if (id.isEmpty()) {
            throw new ListFormatException(where + " has neither REFERENCE_NUMBER nor DATAID");
        }
        List<String> parts = new ArrayList<>();
        for (String tag : List.of("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")) {
            String v = text(e, tag);
            if (!v.isEmpty()) {
                parts.add(v);
            }
        }
        if (parts.isEmpty()) {
            throw new ListFormatException(where + " (" + truncate(id) + ") has no name");
        }
        String name = String.join(" ", parts);
        Set<String> aliases = new LinkedHashSet<>();
        for (Element a : children(e, aliasTag)) {
            String v = text(a, "ALIAS_NAME");
            if (!v.isEmpty()) {
                aliases.add(v);
            }
        }
        String original = text(e, "NAME_ORIGINAL_SCRIPT");
        if (!original.isEmpty()) {
            aliases.add(original);
        }
        List<BirthDate> dobs = new ArrayList<>();
        for (Element d : children(e, "INDIVIDUAL_DATE_OF_BIRTH")) {
            String date = text(d, "DATE");
            String year = text(d, "YEAR");
            String from = text(d, "FROM_YEAR");
            String to = text(d, "TO_YEAR");
            if (!date.isEmpty()) {
                BirthDate.parseIso(date.length() > 10 ? date.substring(0, 10) : date).ifPresent(dobs::add);
            } else if (!year.isEmpty()) {
                BirthDate.parseIso(year).ifPresent(dobs::add);
            } else if (!from.isEmpty() && !to.isEmpty() && from.matches("\\d{4}") && to.matches("\\d{4}")) {
                for (int y = Integer.parseInt(from); y <= Integer.parseInt(to) && dobs.size() < 30; y++) {
                    BirthDate.parseIso(Integer.toString(y)).ifPresent(dobs::add);
                }
            }
        }
        Set<String> nats = new LinkedHashSet<>();
        for (Element nat : children(e, "NATIONALITY")) {
            for (Element v : children(nat, "VALUE")) {
                Countries.alpha3(v.getTextContent().strip()).ifPresent(nats::add);
            }
        }
        List<String> programs = new ArrayList<>();
        String listType = text(e, "UN_LIST_TYPE");
        if (!listType.isEmpty()) {
            programs.add(listType);
        }
        return new ListEntry(SOURCE, id, kind, name, new ArrayList<>(aliases), dobs, nats, programs);
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element el && el.getTagName().equals(tag)) {
                out.add(el);
            }
        }
        return out;
    }

    private static String text(Element parent, String tag) {
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element el && el.getTagName().equals(tag)) {
                return el.getTextContent().strip();
            }
        }
        return "";
    }

    private static String truncate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
