import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.*;

/**
 * An XML Schema reader of a Table Schema pattern, for tests/test_schema_grammar.py.
 *
 * <p>Table Schema's patterns are XML Schema regular expressions; this checks texts against one
 * with the JDK's own W3C XML Schema validator (Xerces), which matches a pattern against the whole
 * text, as XML Schema says. Standard input: the pattern on the first line, then one text per line,
 * each as the hex digits of its UTF-8 bytes (so any text fits on one line). Standard output: 1 or 0
 * per text, whether the pattern accepts it. Run with {@code java XsdPattern.java} (Java 17 or later).
 */
public class XsdPattern {
    static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#9;");
    }
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        HexFormat hex = HexFormat.of();
        String pattern = new String(hex.parseHex(in.readLine()), StandardCharsets.UTF_8);
        String xsd = "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element name=\"d\"><xs:simpleType>"
                + "<xs:restriction base=\"xs:string\"><xs:pattern value=\"" + xml(pattern) + "\"/></xs:restriction>"
                + "</xs:simpleType></xs:element></xs:schema>";
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        Validator validator = factory.newSchema(new StreamSource(new StringReader(xsd))).newValidator();
        validator.setErrorHandler(null);
        StringBuilder out = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String text = new String(hex.parseHex(line), StandardCharsets.UTF_8);
            try {
                validator.validate(new StreamSource(new StringReader("<d>" + xml(text) + "</d>")));
                out.append('1');
            } catch (org.xml.sax.SAXException error) {
                out.append('0');
            }
            out.append('\n');
        }
        System.out.print(out);
    }
}
