package io.tokenledger.app.console;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.PageParams;
import java.util.Map;
import java.util.Set;
import org.springframework.data.domain.Sort;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * How a console list is sorted, by the API's {@code sort=field,asc|desc}: the column headers link to the list sorted
 * by their field (the other way round when it already is), keeping the filters, from the first page; and say which
 * column sorts it (aria-sort). A sort the list does not know is no sort, as an unknown filter is no filter.
 *
 * @param field     the field sorted on, or null for the list's own order
 * @param ascending the direction
 */
public record Sorting(String field, boolean ascending) {

    /** The sort asked for, if it is one of {@code fields}; else the list's own order. */
    static Sorting of(String sort, Set<String> fields) {
        try {
            PageParams params = PageParams.parse(0, 1, sort, fields);
            return new Sorting(params.sortField(), params.ascending());
        } catch (CommandRejected e) {
            return new Sorting(null, true);
        }
    }

    /** The order of a page request: by the field's property in {@code sortable}, then by {@code then}. */
    Sort sort(Map<String, String> sortable, Sort then) {
        return field == null ? then
                : Sort.by(ascending ? Sort.Direction.ASC : Sort.Direction.DESC, sortable.get(field)).and(then);
    }

    /** The parameter as the API takes it, or null for the list's own order. */
    public String param() {
        return field == null ? null : field + (ascending ? ",asc" : ",desc");
    }

    /** The link of a column header: this list sorted by the column, descending when it is sorted ascending by it. */
    public String href(String column) {
        String next = column + (column.equals(field) && ascending ? ",desc" : ",asc");
        return ServletUriComponentsBuilder.fromCurrentRequest().scheme(null).host(null).port(null)
                .replaceQueryParam("sort", next).replaceQueryParam("page").build().toUriString();
    }

    /** The column's aria-sort: ascending or descending for the column the list is sorted by, else none (null). */
    public String aria(String column) {
        return column.equals(field) ? (ascending ? "ascending" : "descending") : null;
    }

    /** The arrow beside the column the list is sorted by. */
    public String mark(String column) {
        return column.equals(field) ? (ascending ? "▲" : "▼") : "";
    }
}
