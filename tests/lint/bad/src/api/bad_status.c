/* Fixture: a literal status above src/http/. */
void handler(struct response *resp)
{
	resp->status = 204;
}
